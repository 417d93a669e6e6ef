import { hostname } from "node:os";
import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import type { InstanceInfo, Store } from "../store/store.js";
import { VERSION } from "../version.js";

/** How often a bridge records that it is alive; `status` counts one silent for 3 of these as gone. */
export const HEARTBEAT_MS = 5_000;

export function thisInstance(owner: string, startedAt: number): InstanceInfo {
  return { owner, host: hostname(), pid: process.pid, version: VERSION, startedAt };
}

/**
 * Writes the instance's row now and every `intervalMs`, so that `status` can list the bridges
 * sharing a store and what each holds. A failed write is logged and retried at the next beat.
 */
export function startHeartbeat(options: {
  store: Pick<Store, "heartbeat">;
  clock: Clock;
  logger: Logger;
  instance: InstanceInfo;
  intervalMs?: number;
}): { stop(): void } {
  const { store, clock, logger, instance } = options;
  let failing = false;
  const beat = () =>
    store.heartbeat(instance, clock.now()).then(
      () => void (failing = false),
      (error: unknown) => {
        // Once per outage, not every beat.
        if (!failing) logger.warn(`could not record the heartbeat: ${errorMessage(error)}`);
        failing = true;
      },
    );
  void beat();
  const timer = setInterval(() => void beat(), options.intervalMs ?? HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
