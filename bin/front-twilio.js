#!/usr/bin/env node
import { main } from "../dist/cli.js";

// `front-twilio … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error) => error.code === "EPIPE" && process.exit(process.exitCode ?? 0));

const code = await main(process.argv);
process.exitCode = code;
// A command that has finished must not be kept alive by a client still retrying in the background
// (localtunnel retries an unreachable server forever): give output a moment to drain, then exit.
setTimeout(() => process.exit(code), 300).unref();
