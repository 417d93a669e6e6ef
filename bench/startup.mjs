// Issue 13: how long `front-twilio --help` takes, against `node -e 0` in the same run.
import { execFileSync } from "node:child_process";
import { median } from "./lib/measure.mjs";

export const title = "Start-up (ratio = front-twilio / node -e 0)";

const BIN = new URL("../bin/front-twilio.js", import.meta.url).pathname;

function time(args) {
  const samples = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    execFileSync(process.execPath, args, { stdio: "ignore" });
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function run() {
  const reference = time(["-e", "0"]);
  return [
    { figure: "front-twilio --help (target ≤ 2x)", ms: time([BIN, "--help"]), refMs: reference },
    { figure: "front-twilio config path", ms: time([BIN, "config", "path"]), refMs: reference },
  ];
}
