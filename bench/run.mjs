// `npm run bench`: builds, then runs each figure module and prints its table. A figure is a ratio
// to a reference measured in the same run, because the machines are shared and noisy. To add
// figures (e.g. throughput for issue 13), add a module exporting `title` and `run() -> rows`.
import { printTable } from "./lib/measure.mjs";

const MODULES = [
  "./hostile-input.mjs",
  "./throughput.mjs",
  "./queue.mjs",
  "./pacing.mjs",
  "./retention.mjs",
  "./startup.mjs",
  "./postgres.mjs",
];
const LIMIT_MS = 600_000;

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${LIMIT_MS / 1000} s; stopping.`);
  process.exit(2);
}, LIMIT_MS);
watchdog.unref();

const started = Date.now();
console.log(`front-twilio bench — ${new Date().toISOString()}, node ${process.version}`);
for (const path of MODULES) {
  const module = await import(path);
  const rows = await module.run();
  printTable(module.title, rows);
}
console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
