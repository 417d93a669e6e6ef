import { BridgeError } from "../errors.js";

/** A public URL that forwards to a local port. Two methods: open (below) and close. */
export interface Tunnel {
  readonly url: string;
  close(): Promise<void>;
}

export interface TunnelOptions {
  port: number;
  /** The local address the tunnel connects to (IPv4 loopback unless the bridge listens elsewhere). */
  localHost: string;
  subdomain?: string;
  /** The tunnel server, e.g. https://localtunnel.me (--tunnel-host). */
  host?: string;
  /** Called once when the tunnel drops or errors after it opened. */
  onDown: (reason: string) => void;
  timeoutMs?: number;
}

export type OpenTunnel = (options: TunnelOptions) => Promise<Tunnel>;

/** localtunnel (the maintained @n8n fork), imported only when `serve --tunnel` asks for it. */
export const openLocaltunnel: OpenTunnel = async (options) => {
  const { default: localtunnel } = await import("@n8n/localtunnel");
  const host = options.host ?? "https://localtunnel.me";
  const timeoutMs = options.timeoutMs ?? 20_000;
  await probeTunnelServer(host, Math.min(timeoutMs, 10_000));
  // The client retries an unreachable server forever; give up after a while so we can say why.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BridgeError(`The tunnel server ${host} did not answer within ${timeoutMs / 1000}s.`, {
            hint: "Check the network, or use another tunnel server with --tunnel-host, or deploy with --public-url.",
          }),
        ),
      timeoutMs,
    );
  });
  const opening = localtunnel({
    port: options.port,
    host,
    local_host: options.localHost,
    ...(options.subdomain ? { subdomain: options.subdomain } : {}),
  });
  let tunnel: Awaited<typeof opening>;
  try {
    tunnel = await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
  let closing = false;
  let down = false;
  const reportDown = (reason: string) => {
    if (closing || down) return;
    down = true;
    options.onDown(reason);
  };
  tunnel.on("error", (error: Error) => reportDown(error.message));
  tunnel.on("close", () => reportDown("the tunnel closed"));
  return {
    url: tunnel.url,
    close: async () => {
      if (closing) return;
      closing = true;
      tunnel.close();
    },
  };
};

/**
 * The localtunnel client retries an unreachable server every second, forever and silently; asking
 * the server once first turns a wrong --tunnel-host or a missing network into one clear error.
 */
async function probeTunnelServer(host: string, timeoutMs: number): Promise<void> {
  try {
    // Any HTTP answer (even a 404) proves the server is there.
    await fetch(host, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000}s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new BridgeError(`The tunnel server ${host} cannot be reached (${why}).`, {
      hint: "Check the network and --tunnel-host, or deploy with a public URL (--public-url) instead of --tunnel.",
      cause: error,
    });
  }
}
