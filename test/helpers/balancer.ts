import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";

export interface Balancer {
  url: string;
  /** Requests each backend answered. */
  readonly answered: number[];
  close(): Promise<void>;
}

/**
 * A load balancer in front of several bridges on 127.0.0.1: round robin, and a request whose
 * backend fails (refused, or reset by a killed process) is sent to the next one, as a balancer with
 * retries does and as Front retries a webhook. The body is buffered so it can be sent again.
 */
export async function startBalancer(ports: number[]): Promise<Balancer> {
  const answered = ports.map(() => 0);
  let next = 0;

  const forward = (index: number, req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }>(
      (resolve, reject) => {
        const out = request(
          {
            host: "127.0.0.1",
            port: ports[index],
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 502,
                headers: res.headers,
                body: Buffer.concat(chunks),
              }),
            );
            res.on("error", reject);
          },
        );
        out.on("error", reject);
        out.end(body);
      },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Each try goes to the next backend after this request's previous one.
    const first = next++;
    for (let tries = 0; tries < 3 * ports.length; tries++) {
      const index = (first + tries) % ports.length;
      try {
        const answer = await forward(index, req, body);
        answered[index]!++;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    res.writeHead(502).end();
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
