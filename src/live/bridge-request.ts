/**
 * A request to a running bridge, which may sit behind a localtunnel dev tunnel: localtunnel shows
 * browsers a reminder page instead of the bridge unless this header is present.
 */
export const TUNNEL_HEADERS = { "bypass-tunnel-reminder": "1" } as const;

export function fetchBridge(
  url: string,
  options: {
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
    fetch?: typeof globalThis.fetch;
  } = {},
): Promise<Response> {
  return (options.fetch ?? fetch)(url, {
    method: options.method ?? "GET",
    headers: { ...TUNNEL_HEADERS, ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
}
