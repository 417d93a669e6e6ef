// `node bench/one.mjs <module>`: runs one figure module of `npm run bench` (after `npm run build`).
import { printTable } from "./lib/measure.mjs";

const name = process.argv[2] ?? "throughput";
const module = await import(`./${name.replace(/\.mjs$/, "")}.mjs`);
printTable(module.title, await module.run());
process.exit(0);
