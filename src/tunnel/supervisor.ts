import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { backoffDelay } from "../worker/backoff.js";
import type { OpenTunnel, Tunnel, TunnelOptions } from "./tunnel.js";

export interface TunnelSupervisorOptions {
  open: OpenTunnel;
  tunnel: Omit<TunnelOptions, "onDown">;
  /** A (new) public URL is live: point everything at it. */
  onUrl: (url: string) => Promise<void>;
  logger: Logger;
  clock: Clock;
  retryBaseMs?: number;
}

/**
 * Keeps a dev tunnel open: when it drops or errors it is reopened with backoff and everything is
 * re-pointed at the new URL. A failing tunnel is reported loudly but never stops the bridge.
 */
export function createTunnelSupervisor(options: TunnelSupervisorOptions) {
  const { logger, clock } = options;
  let tunnel: Tunnel | undefined;
  let stopping = false;
  let reopening: Promise<void> | undefined;
  const wakeStop = new AbortController();

  const openOnce = () =>
    options.open({
      ...options.tunnel,
      onDown: (reason) =>
        void (reopening ??= reopen(reason).finally(() => (reopening = undefined))),
    });

  async function reopen(reason: string) {
    logger.error(`tunnel down (${reason}); reopening it`);
    await tunnel?.close().catch(() => undefined);
    tunnel = undefined;
    for (let attempt = 1; !stopping; attempt++) {
      try {
        tunnel = await openOnce();
        logger.info(`tunnel back at ${tunnel.url}`);
        await options
          .onUrl(tunnel.url)
          .catch((error: unknown) =>
            logger.error(
              `could not re-point Twilio and Front at ${tunnel?.url}: ${errorMessage(error)}`,
            ),
          );
        return;
      } catch (error) {
        const delay = backoffDelay(attempt, {
          baseMs: options.retryBaseMs ?? 1_000,
          capMs: 30_000,
        });
        logger.error(
          `tunnel could not reopen (${errorMessage(error)}); next try in ${(delay / 1000).toFixed(1)}s`,
        );
        await clock.sleep(delay, wakeStop.signal);
      }
    }
  }

  return {
    /** Opens the tunnel and points everything at it; resolves to its URL. */
    async start(): Promise<string> {
      const opened = await openOnce();
      // Stopped (Ctrl+C) while it was opening: nothing may be pointed at it any more.
      if (stopping) {
        await opened.close();
        throw new Error("stopped while the tunnel was opening");
      }
      tunnel = opened;
      await options.onUrl(tunnel.url);
      return tunnel.url;
    },
    url: () => tunnel?.url,
    async stop() {
      stopping = true;
      wakeStop.abort();
      await reopening;
      await tunnel?.close();
    },
  };
}
