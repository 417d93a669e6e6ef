import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BridgeError } from "../errors.js";
import type { Logger } from "../log.js";
import { createLogThrottle } from "../log-throttle.js";
import { StoreUnavailableError } from "../store/store-faults.js";
import { HttpError, json, type HttpResponse } from "./http.js";
import { SOCKET_LIMITS, type SocketLimits } from "./socket-limits.js";

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting connections, closes idle sockets at once and busy ones after a grace period. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Tests shorten them; the defaults are the real values. */
  limits?: Partial<SocketLimits>;
  /** How often a repeating store fault is logged again (with a count). */
  faultLogIntervalMs?: number;
}

/** Webhook senders may retry after this many seconds when the store cannot commit. */
const RETRY_AFTER_SECONDS = "30";

export async function startHttpServer(
  handle: (req: IncomingMessage) => Promise<HttpResponse>,
  options: HttpServerOptions,
): Promise<RunningServer> {
  const limits = { ...SOCKET_LIMITS, ...options.limits };
  const faults = createLogThrottle({
    logger: options.logger,
    ...(options.faultLogIntervalMs === undefined ? {} : { intervalMs: options.faultLogIntervalMs }),
  });
  const answer = (req: IncomingMessage): Promise<HttpResponse> => {
    // node keeps at most maxHeadersCount lines; one more than the limit shows that there were more.
    if (req.rawHeaders.length / 2 > limits.maxHeaders) {
      return Promise.resolve(
        withHeaders(json(431, { error: `more than ${limits.maxHeaders} header lines` }), {
          connection: "close",
        }),
      );
    }
    return handle(req);
  };
  const server: Server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      maxHeaderSize: limits.maxHeaderBytes,
    },
    (req, res) => {
      answer(req)
        .catch((error: unknown) => {
          if (error instanceof HttpError) {
            return withHeaders(json(error.status, { error: error.message }), error.headers);
          }
          const where = `${req.method} ${req.url?.split("/").slice(0, 2).join("/")}`;
          if (error instanceof StoreUnavailableError) {
            // Once, then a count every few seconds: a full disk must not flood the log.
            faults.error(
              `store:${error.fault.code}`,
              `${where} answered 503: ${error.message}. Webhooks are refused until it clears; free disk space and the bridge resumes by itself.`,
            );
            return withHeaders(json(503, { error: "the bridge cannot store requests right now" }), {
              "retry-after": RETRY_AFTER_SECONDS,
            });
          }
          options.logger.error(`${where}: ${String(error)}`);
          return json(500, { error: "internal error" });
        })
        .then((response) => {
          res.writeHead(response.status, response.headers);
          res.end(response.body);
        })
        .catch(() => res.destroy());
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeaders + 1;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new BridgeError(`Port ${options.port} is already in use.`, {
              hint: "Stop the other process or choose another port with --port or PORT.",
            })
          : error,
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });

  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        faults.stop();
        server.close(() => resolve());
        server.closeIdleConnections();
        // A socket still busy (a slow handler, a client trickling a body) after the grace is cut.
        setTimeout(() => server.closeAllConnections(), limits.closeGraceMs).unref();
      }),
  };
}

function withHeaders(response: HttpResponse, headers: Record<string, string>): HttpResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}
