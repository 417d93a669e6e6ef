#!/usr/bin/env node
import { main } from "../dist/cli.js";

const code = await main(process.argv);
process.exitCode = code;
// A command that has finished must not be kept alive by a client still retrying in the background
// (localtunnel retries an unreachable server forever): give output a moment to drain, then exit.
setTimeout(() => process.exit(code), 300).unref();
