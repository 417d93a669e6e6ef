import { Counter, Gauge, Registry } from "prom-client";
import type { Clock } from "./clock.js";
import type { Store } from "./store/store.js";
import type { Route } from "./types.js";

/** The bridge's figures, in Prometheus form (GET /metrics) and for `front-twilio status`. */
export interface Metrics {
  registry: Registry;
  received(): void;
  delivered(): void;
  duplicate(direction: "inbound" | "outbound"): void;
  sent(): void;
  failed(errorCode: number | undefined): void;
  retried(kind: string): void;
  deadLettered(kind: string): void;
  optOut(change: "stop" | "start"): void;
  lookup(result: "found" | "none" | "error" | "cached"): void;
}

export function createMetrics(deps: { store: Store; route: Route; clock: Clock }): Metrics {
  const registry = new Registry();
  // One bridge serves one (number, channel) pair today; the labels are ready for several.
  registry.setDefaultLabels({
    twilio_number: deps.route.twilioNumber,
    front_channel: deps.route.channelId,
  });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `front_twilio_${name}`, help, labelNames, registers: [registry] });
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
  const lookups = counter("caller_name_lookups_total", "Caller-name lookups, by result", [
    "result",
  ]);
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
    received: () => received.inc(),
    delivered: () => delivered.inc(),
    duplicate: (direction) => duplicates.inc({ direction }),
    sent: () => sent.inc(),
    failed: (code) => failed.inc({ error_code: code === undefined ? "unknown" : String(code) }),
    retried: (kind) => retries.inc({ kind }),
    deadLettered: (kind) => dead.inc({ kind }),
    optOut: (change) => optOuts.inc({ change }),
    lookup: (result) => lookups.inc({ result }),
  };
}
