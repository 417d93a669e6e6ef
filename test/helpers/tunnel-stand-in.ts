import { randomBytes } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A localtunnel-compatible tunnel server on 127.0.0.1. `GET /?new` (or `/<subdomain>`) registers a
 * tunnel and answers `{id, port, max_conn_count, url}`; the client then opens TCP connections to
 * `port`, and every connection to the tunnel's public `url` is relayed over one of them.
 */
export interface TunnelStandIn {
  readonly url: string;
  readonly tunnels: Map<string, { url: string; clients: number }>;
  /** Drops a tunnel as a failing server would: its client connections die and it refuses new ones. */
  kill(id: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  url: string;
  idle: Socket[];
  waiting: ((socket: Socket) => void)[];
  servers: Server[];
  sockets: Set<Socket>;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

export async function startTunnelStandIn(): Promise<TunnelStandIn> {
  const entries = new Map<string, Entry>();
  const tunnels = new Map<string, { url: string; clients: number }>();

  async function register(requested: string | undefined) {
    const id = requested && !entries.has(requested) ? requested : randomBytes(4).toString("hex");
    const entry: Entry = { url: "", idle: [], waiting: [], servers: [], sockets: new Set() };
    const track = (socket: Socket) => {
      entry.sockets.add(socket);
      socket.on("close", () => entry.sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    };
    const clientServer = createServer((socket) => {
      track(socket);
      tunnels.get(id)!.clients++;
      socket.on("close", () => {
        entry.idle = entry.idle.filter((s) => s !== socket);
        const info = tunnels.get(id);
        if (info) info.clients--;
      });
      const waiter = entry.waiting.shift();
      if (waiter) waiter(socket);
      else entry.idle.push(socket);
    });
    const publicServer = createServer((visitor) => {
      track(visitor);
      const relay = (client: Socket) => {
        visitor.pipe(client).pipe(visitor);
        const end = () => {
          visitor.destroy();
          client.destroy();
        };
        visitor.on("close", end);
        client.on("close", end);
      };
      const client = entry.idle.shift();
      if (client) relay(client);
      else entry.waiting.push(relay);
    });
    const clientPort = await listen(clientServer);
    entry.url = `http://127.0.0.1:${await listen(publicServer)}`;
    entry.servers.push(clientServer, publicServer);
    entries.set(id, entry);
    tunnels.set(id, { url: entry.url, clients: 0 });
    return { id, port: clientPort, max_conn_count: 2, url: entry.url };
  }

  const control = createHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://tunnel");
    const subdomain = url.pathname.slice(1) || undefined;
    if (!url.searchParams.has("new") && !subdomain) {
      res.writeHead(404).end();
      return;
    }
    void register(subdomain).then((info) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(info));
    });
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));

  async function kill(id: string) {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    tunnels.delete(id);
    await Promise.all(
      entry.servers.map((server) => new Promise((resolve) => server.close(resolve))),
    );
    for (const socket of entry.sockets) socket.destroy();
  }

  return {
    url: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    tunnels,
    kill,
    async close() {
      await Promise.all([...entries.keys()].map(kill));
      await new Promise((resolve) => control.close(resolve));
    },
  };
}
