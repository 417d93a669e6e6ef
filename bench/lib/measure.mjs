// Timing helpers shared by the bench figures: raw HTTP requests, servers in child processes,
// percentiles, and the table printed at the end.
import { fork } from "node:child_process";
import { request } from "node:http";

/** One request on a fresh connection; resolves with the status and the elapsed milliseconds. */
export function timedRequest(baseUrl, { method = "POST", path, headers = {}, body }, timeoutMs) {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        agent: false,
        headers: {
          ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body) }),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode, ms: performance.now() - started, timedOut: false }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, ms: performance.now() - started, timedOut: true });
    }, timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started, timedOut: true }));
    req.end(body);
  });
}

/** Starts bench/lib/server-process.mjs as a child; `stop()` ends it (and a kill is the backstop). */
export async function startServer(mode, options = {}) {
  const child = fork(new URL("./server-process.mjs", import.meta.url), [
    mode,
    JSON.stringify(options),
  ]);
  const info = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return {
    ...info,
    async stop() {
      child.send("stop");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const killed = new Promise((resolve) =>
        setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, 3_000).unref(),
      );
      await Promise.race([exited, killed]);
    },
  };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values) => percentile(values, 50);

/**
 * Times `send` a few times (once if it is slow) and returns the median; slow requests are not
 * repeated so that a quadratic path cannot make the bench run for minutes.
 */
export async function timeRepeated(send, { runs = 5, slowMs = 500 } = {}) {
  const samples = [];
  let status;
  let timedOut = false;
  for (let i = 0; i < runs; i++) {
    const result = await send();
    samples.push(result.ms);
    status = result.status;
    timedOut ||= result.timedOut;
    if (result.ms > slowMs || result.timedOut) break;
  }
  return { ms: median(samples), status, timedOut, n: samples.length };
}

/** Sends /healthz one after another until `done` settles; returns every latency. */
export async function sampleHealthzDuring(baseUrl, done, timeoutMs) {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies = [];
  while (!finished) {
    const result = await timedRequest(baseUrl, { method: "GET", path: "/healthz" }, timeoutMs);
    latencies.push(result.ms);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return latencies;
}

const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(1) : "-");

/** Prints rows { figure, ms, refMs, note } as a table; the ratio is ms / refMs. */
export function printTable(title, rows) {
  const lines = rows.map((r) => [
    r.figure,
    `${r.timedOut ? ">" : ""}${fmt(r.ms)}`,
    fmt(r.refMs),
    Number.isFinite(r.ms / r.refMs)
      ? `${r.timedOut ? ">" : ""}${(r.ms / r.refMs).toFixed(1)}x`
      : "-",
    r.note ?? "",
  ]);
  const header = ["figure", "bridge ms", "reference ms", "ratio", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ");
  console.log(`\n${title}\n`);
  console.log(row(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(row(line));
}
