import { BridgeError, causeMessage } from "../errors.js";
import { fetchBridge } from "../live/bridge-request.js";
import { selectRoutes } from "../config/routes.js";
import { loadClientConfig, type CommandContext } from "./context.js";
import { instanceLines, liveInstances } from "./status-instances.js";

const LABELS: [string, string][] = [
  ["front_twilio_messages_received_total", "Customer messages received"],
  ["front_twilio_messages_delivered_total", "Delivered to Front"],
  ["front_twilio_duplicates_dropped_total", "Duplicates dropped"],
  ["front_twilio_replies_sent_total", "Replies sent"],
  ["front_twilio_replies_failed_total", "Replies failed"],
  ["front_twilio_retries_total", "Retries"],
  ["front_twilio_dead_letters_total", "Dead letters"],
  ["front_twilio_queue_depth", "Queue depth"],
  ["front_twilio_oldest_pending_age_seconds", "Oldest pending (seconds)"],
  ["front_twilio_opt_outs_total", "Opt-outs / opt-ins"],
  ["front_twilio_caller_name_lookups_total", "Caller-name lookups"],
  ["front_twilio_unrouted_messages_total", "To numbers with no route"],
];

/** Figures of the whole bridge, not of one route. */
const BRIDGE_WIDE = new Set([
  "front_twilio_queue_depth",
  "front_twilio_oldest_pending_age_seconds",
  "front_twilio_caller_name_lookups_total",
  "front_twilio_unrouted_messages_total",
]);

/** `front-twilio status`: the running bridge's /metrics, for a person, per route. */
export async function status(
  options: { url?: string; json?: boolean; route?: string },
  context: CommandContext,
): Promise<number> {
  const { config, live } = loadClientConfig(context);
  // A bridge running here is read directly, not through its tunnel.
  const base = options.url ?? live?.localUrl ?? config.bridge.publicUrl;
  if (!base)
    throw new BridgeError("status needs the bridge's address.", {
      hint: "Pass --url http://127.0.0.1:3000, or set bridge.publicUrl (FRONT_TWILIO_PUBLIC_URL).",
    });
  const url = `${base.replace(/\/+$/, "")}/metrics`;
  const token = config.bridge.adminToken ?? live?.adminToken;
  let response: Response;
  try {
    response = await fetchBridge(
      url,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
  } catch (error) {
    throw new BridgeError(`Could not read ${url} (${causeMessage(error)}).`, {
      hint: "Is the bridge running (`front-twilio serve`)? Pass its address with --url.",
    });
  }
  if (response.status === 401 || response.status === 403) {
    throw new BridgeError(`${url} refused the request (${response.status}).`, {
      hint: token
        ? "The bridge has another admin token: set the same bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) here."
        : response.status === 401
          ? "The bridge needs its admin token: set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) here too."
          : "Without an admin token the bridge shows its metrics on its own host only: run status there with --url http://127.0.0.1:<port>, or set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) on both sides.",
    });
  }
  if (!response.ok) {
    throw new BridgeError(`Could not read ${url} (it answered ${response.status}).`, {
      hint: "Is the bridge running (`front-twilio serve`)? Pass its address with --url.",
    });
  }
  const samples = parseSamples(await response.text());
  const routes = routesIn(samples);
  const chosen = selectRoutes(
    routes,
    options.route,
    (route) => ({ number: route.number, channel: route.channel }),
    config.phone.defaultCountry,
  );
  const ofRoute = (route: RouteLabels) => (sample: Sample) =>
    sample.labels.twilio_number === route.number && sample.labels.front_channel === route.channel;
  if (options.json) {
    const shown = options.route
      ? samples.filter((s) => chosen.some((route) => ofRoute(route)(s)))
      : samples;
    context.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (routes.length <= 1 && !options.route) print(samples, LABELS, context);
  else {
    for (const route of chosen) {
      context.stdout.write(`Route ${route.number} → ${route.channel}\n`);
      print(
        samples.filter(ofRoute(route)),
        LABELS.filter(([name]) => !BRIDGE_WIDE.has(name)),
        context,
        "  ",
      );
    }
    context.stdout.write("Whole bridge\n");
    print(
      samples,
      LABELS.filter(([name]) => BRIDGE_WIDE.has(name)),
      context,
      "  ",
    );
  }
  // Several bridges share a database: which are alive, and what each is working on.
  if (config.bridge.databaseUrl) {
    const now = Date.now();
    for (const line of instanceLines(await liveInstances(config.bridge, now), now))
      context.stdout.write(`${line}\n`);
  }
  return 0;
}

interface RouteLabels {
  number: string;
  channel: string;
}

/** The routes the figures are labelled with, in the order they first appear. */
function routesIn(samples: Sample[]): RouteLabels[] {
  const seen = new Map<string, RouteLabels>();
  for (const { labels } of samples)
    if (labels.twilio_number && labels.front_channel)
      seen.set(`${labels.twilio_number}|${labels.front_channel}`, {
        number: labels.twilio_number,
        channel: labels.front_channel,
      });
  return [...seen.values()];
}

function print(
  samples: Sample[],
  labels: [string, string][],
  context: CommandContext,
  indent = "",
) {
  for (const [name, label] of labels) {
    const rows = samples.filter((s) => s.name === name);
    const total = rows.reduce((sum, s) => sum + s.value, 0);
    const detail = rows
      .filter((row) => row.value > 0)
      .flatMap((row) => {
        const extra = Object.entries(row.labels).filter(([key]) => key !== "front_channel");
        const shown = BRIDGE_WIDE.has(name)
          ? extra
          : extra.filter(([key]) => key !== "twilio_number");
        return shown.length ? [`${shown.map(([, value]) => value).join("/")}: ${row.value}`] : [];
      });
    context.stdout.write(
      `${indent}${label.padEnd(28 - indent.length)} ${String(Math.round(total * 10) / 10).padStart(8)}${detail.length ? `  (${detail.join(", ")})` : ""}\n`,
    );
  }
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The sample lines of the Prometheus text format: `name{a="b",…} value`. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || line.startsWith("#")) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}
