import type { Bridge } from "../../app.js";
import { reconcile } from "../../bridge/reconcile.js";
import type { Clock } from "../../clock.js";
import { errorMessage } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Store } from "../../store/store.js";

const ALIVE = "bridge.aliveAt";
const HEARTBEAT_MS = 30_000;

/**
 * Records that the bridge is alive (a heartbeat in the store) and, at start, reconciles the time
 * since the last heartbeat — the time it was down — capped at `windowMs` (0 turns it off).
 */
export async function startCatchUp(deps: {
  store: Store;
  bridge: Bridge;
  windowMs: number;
  clock: Clock;
  logger: Logger;
  defaultCountry?: string;
}): Promise<{ stop(): Promise<void> }> {
  const { store, clock, logger } = deps;
  const lastAlive = Number(await store.getMeta(ALIVE)) || undefined;
  const beat = () => store.setMeta(ALIVE, String(clock.now()));
  await beat();
  const timer = setInterval(
    () => void beat().catch((error: unknown) => logger.error(`heartbeat: ${errorMessage(error)}`)),
    HEARTBEAT_MS,
  );
  timer.unref();

  if (lastAlive !== undefined && deps.windowMs > 0) {
    // A killed bridge's last heartbeat can be up to HEARTBEAT_MS old; overlap is free (dedupe).
    const since = new Date(Math.max(lastAlive - 2 * HEARTBEAT_MS, clock.now() - deps.windowMs));
    for (const { route } of deps.bridge.routes)
      void reconcile({
        store,
        twilio: deps.bridge.twilio,
        route,
        since,
        clock,
        logger,
        ...(deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {}),
      }).then(
        (result) => {
          logger.info(
            `catch-up of ${route.twilioNumber} since ${since.toISOString()}: ${result.seen} message(s) in Twilio, ${result.queued.length} recovered`,
          );
          if (result.queued.length) deps.bridge.wake();
        },
        (error: unknown) =>
          logger.error(
            `catch-up of ${route.twilioNumber} failed (${errorMessage(error)}); run \`front-twilio reconcile --route ${route.twilioNumber} --since <how long it was down>\``,
          ),
      );
  }
  return {
    stop: async () => {
      clearInterval(timer);
      await beat();
    },
  };
}
