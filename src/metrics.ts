import { Counter, Gauge, Registry } from "prom-client";
import type { Clock } from "./clock.js";
import type { Store } from "./store/store.js";
import { routeChannel, routeNumber } from "./types.js";

/**
 * The bridge's figures, in Prometheus form (GET /metrics) and for `front-twilio status`. Message
 * counters are labelled with their route's number and channel (`route` is a Route id).
 */
export interface Metrics {
  registry: Registry;
  received(route: string): void;
  delivered(route: string): void;
  duplicate(route: string, direction: "inbound" | "outbound"): void;
  sent(route: string): void;
  failed(route: string, errorCode: number | undefined): void;
  retried(route: string, kind: string): void;
  deadLettered(route: string, kind: string): void;
  optOut(route: string, change: "stop" | "start"): void;
  /** A customer texted one of the account's numbers that has no route: answered, not delivered. */
  unrouted(twilioNumber: string): void;
  lookup(result: "found" | "none" | "error" | "cached"): void;
}

const ROUTE_LABELS = ["twilio_number", "front_channel"];

export function createMetrics(deps: { store: Store; clock: Clock }): Metrics {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({
      name: `front_twilio_${name}`,
      help,
      labelNames: [...ROUTE_LABELS, ...labelNames],
      registers: [registry],
    });
  const labels = (route: string) => ({
    twilio_number: routeNumber(route),
    front_channel: routeChannel(route),
  });
  const received = counter("messages_received_total", "Customer messages accepted from Twilio");
  const delivered = counter("messages_delivered_total", "Customer messages delivered to Front");
  const duplicates = counter(
    "duplicates_dropped_total",
    "Repeated webhooks recognised and not delivered again",
    ["direction"],
  );
  const sent = counter("replies_sent_total", "Agent replies accepted by Twilio");
  const failed = counter(
    "replies_failed_total",
    "Agent replies that failed, by Twilio error code",
    ["error_code"],
  );
  const retries = counter("retries_total", "Delivery attempts scheduled again after a failure", [
    "kind",
  ]);
  const dead = counter(
    "dead_letters_total",
    "Jobs given up on, with the reason kept in the store",
    ["kind"],
  );
  const optOuts = counter("opt_outs_total", "Customers opting out (stop) or back in (start)", [
    "change",
  ]);
  const unrouted = new Counter({
    name: "front_twilio_unrouted_messages_total",
    help: "Customer messages to a number of the account that no route serves (answered, not delivered)",
    labelNames: ["twilio_number"],
    registers: [registry],
  });
  const lookups = new Counter({
    name: "front_twilio_caller_name_lookups_total",
    help: "Caller-name lookups, by result",
    labelNames: ["result"],
    registers: [registry],
  });
  new Gauge({
    name: "front_twilio_queue_depth",
    help: "Jobs waiting or in progress",
    registers: [registry],
    async collect() {
      const summary = await deps.store.summary();
      this.set(summary.pending + summary.running);
    },
  });
  new Gauge({
    name: "front_twilio_oldest_pending_age_seconds",
    help: "Age of the oldest job not yet delivered (0 when none)",
    registers: [registry],
    async collect() {
      const oldest = (await deps.store.summary()).oldestPendingAt;
      this.set(oldest === null ? 0 : Math.max(0, (deps.clock.now() - oldest) / 1000));
    },
  });
  return {
    registry,
    received: (route) => received.inc(labels(route)),
    delivered: (route) => delivered.inc(labels(route)),
    duplicate: (route, direction) => duplicates.inc({ ...labels(route), direction }),
    sent: (route) => sent.inc(labels(route)),
    failed: (route, code) =>
      failed.inc({ ...labels(route), error_code: code === undefined ? "unknown" : String(code) }),
    retried: (route, kind) => retries.inc({ ...labels(route), kind }),
    deadLettered: (route, kind) => dead.inc({ ...labels(route), kind }),
    optOut: (route, change) => optOuts.inc({ ...labels(route), change }),
    unrouted: (twilioNumber) => unrouted.inc({ twilio_number: twilioNumber }),
    lookup: (result) => lookups.inc({ result }),
  };
}
