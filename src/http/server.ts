import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BridgeError } from "../errors.js";
import type { Logger } from "../log.js";
import { HttpError, json, type HttpResponse } from "./http.js";

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

export async function startHttpServer(
  handle: (req: IncomingMessage) => Promise<HttpResponse>,
  options: { host: string; port: number; logger: Logger },
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    handle(req)
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          const response = json(error.status, { error: error.message });
          return { ...response, headers: { ...response.headers, ...error.headers } };
        }
        options.logger.error(
          `${req.method} ${req.url?.split("/").slice(0, 2).join("/")}: ${String(error)}`,
        );
        return json(500, { error: "internal error" });
      })
      .then((response) => {
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch(() => res.destroy());
  });
  server.requestTimeout = 30_000;

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
        server.close(() => resolve());
        server.closeIdleConnections();
        // A keep-alive connection that stays busy past the grace period is cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
