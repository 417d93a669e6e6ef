import chalk from "chalk";
import type { Bridge } from "../../app.js";
import type { Clock } from "../../clock.js";
import { errorMessage } from "../../errors.js";
import type { Logger } from "../../log.js";
import { routesOf, type BridgeSettings } from "../../settings.js";
import type { Store } from "../../store/store.js";
import { createSidePointer, previousUrlsKey } from "../../tunnel/pointer.js";
import { createTunnelSupervisor } from "../../tunnel/supervisor.js";
import type { OpenTunnel } from "../../tunnel/tunnel.js";
import { urlLines } from "./banner.js";
import { fetchBridge } from "../../live/bridge-request.js";

export interface DevTunnelOptions {
  bridge: Bridge;
  settings: BridgeSettings;
  store: Store;
  port: number;
  host: string;
  subdomain?: string;
  tunnelHost?: string;
  open: OpenTunnel;
  logger: Logger;
  clock: Clock;
  out: (line: string) => void;
  /** Told every URL the tunnel gets, so the other commands can find the bridge. */
  onUrl?: (url: string) => void;
}

/**
 * `serve --tunnel`: the tunnel's URL becomes the bridge's public URL, Twilio and Front are pointed
 * at it (and again whenever it changes), a request through it must come back here, and the
 * previous URLs are restored on exit.
 */
export function createDevTunnel(options: DevTunnelOptions) {
  const { bridge, settings, logger, out } = options;
  // Every route's number and channel follow the tunnel, and each is restored on exit.
  const pointers = routesOf(settings).map((route, index) =>
    createSidePointer({
      twilio: bridge.twilio,
      ...(settings.front.mode === "custom" && bridge.front && route.channelId
        ? { front: { client: bridge.front, channelId: route.channelId } }
        : {}),
      store: options.store,
      phoneNumber: route.twilioNumber,
      webhookToken: route.webhookToken,
      metaKey: previousUrlsKey(index, route.twilioNumber),
    }),
  );
  let first = true;
  let stopped = false;
  const supervisor = createTunnelSupervisor({
    open: options.open,
    tunnel: {
      port: options.port,
      // localtunnel dials "localhost", which may be ::1; the bridge listens on IPv4 by default.
      localHost: options.host === "0.0.0.0" ? "127.0.0.1" : options.host,
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
      ...(options.tunnelHost ? { host: options.tunnelHost } : {}),
    },
    logger,
    clock: options.clock,
    onUrl: async (url) => {
      if (stopped) return;
      bridge.setPublicUrl(url);
      options.onUrl?.(url);
      for (const pointer of pointers)
        for (const line of await pointer.point(url)) logger.info(`tunnel: ${line}`);
      if (!first) {
        out(chalk.yellow(`! The tunnel URL is now ${url}; Twilio and Front were pointed at it:`));
        for (const line of urlLines(bridge, settings, url)) out(line);
      }
      first = false;
      await selfCheck(url, logger);
    },
  });
  return {
    /** Opens the tunnel and points both sides at it; rejects when the tunnel cannot open. */
    start: () => supervisor.start(),
    /** Safe at any moment, even while start() is still opening the tunnel. */
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const pointer of pointers)
        try {
          for (const line of await pointer.restore()) out(`  ${line}`);
        } catch (error) {
          logger.error(
            `could not restore the previous URLs: ${errorMessage(error)}; run \`front-twilio init\` (or \`routes add\`) to set them`,
          );
        }
      await supervisor.stop();
    },
  };
}

/** A request sent to the public URL must come back to this process. */
async function selfCheck(url: string, logger: Logger) {
  try {
    const response = await fetchBridge(`${url}/healthz`);
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    logger.info(`tunnel check: ${url}/healthz reached this bridge`);
  } catch (error) {
    logger.error(
      chalk.red(
        `TUNNEL CHECK FAILED: ${url}/healthz did not reach this bridge (${errorMessage(error)}). Twilio and Front cannot reach it either.`,
      ),
    );
  }
}
