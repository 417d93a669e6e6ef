import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { json } from "../../src/http/http.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { SOCKET_LIMITS } from "../../src/http/socket-limits.js";
import { silentLogger } from "../../src/log.js";

// Real sockets against the real server; only the timeouts are shortened so the tests do not wait
// 10 s (the defaults are checked separately below).
const LIMITS = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 1_000,
  keepAliveTimeoutMs: 200,
  checkIntervalMs: 50,
  maxHeaderBytes: 4 * 1024,
  maxHeaders: 20,
  closeGraceMs: 300,
};

interface Client {
  socket: Socket;
  received(): string;
  /** Resolves with the time it took the server to close the socket. */
  closed: Promise<number>;
}

function open(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
    socket.on("error", () => undefined); // a reset is one way of being cut
    const closed = new Promise<number>((done) =>
      socket.on("close", () => done(Date.now() - started)),
    );
    socket.once("connect", () => resolve({ socket, received: () => data, closed }));
    socket.once("error", reject);
  });
}

describe("the HTTP server defends its sockets", () => {
  let server: RunningServer | undefined;
  let hang: (() => void) | undefined;

  async function start() {
    server = await startHttpServer(
      async (req) => {
        if (req.url === "/slow") await new Promise<void>((resolve) => (hang = resolve));
        return json(200, { ok: true });
      },
      { host: "127.0.0.1", port: 0, logger: silentLogger, limits: LIMITS },
    );
    return server;
  }

  afterEach(async () => {
    hang?.();
    await server?.close();
    server = undefined;
  });

  it("uses the real limits by default: headers cut within 15 s, keep-alive 5 s", () => {
    expect(SOCKET_LIMITS.headersTimeoutMs + SOCKET_LIMITS.checkIntervalMs).toBeLessThanOrEqual(
      15_000,
    );
    expect(SOCKET_LIMITS.keepAliveTimeoutMs).toBe(5_000);
    expect(SOCKET_LIMITS.requestTimeoutMs).toBeGreaterThan(SOCKET_LIMITS.headersTimeoutMs);
  });

  it("cuts a client that trickles its headers (408) after the headers timeout", async () => {
    const { port } = await start();
    const client = await open(port);
    client.socket.write("POST /twilio/sms HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => client.socket.write("X-A: b\r\n"), 50);
    const took = await client.closed;
    clearInterval(trickle);
    expect(took).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    expect(took).toBeLessThan(LIMITS.headersTimeoutMs + 1_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes an idle keep-alive socket after the keep-alive timeout", async () => {
    const { port } = await start();
    const client = await open(port);
    const sentAt = Date.now();
    client.socket.write("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(client.received()).toMatch(/Keep-Alive: timeout=0/i);
    // node keeps the socket about 1 s past keepAliveTimeout (its buffer against racing clients).
    expect(Date.now() - sentAt).toBeLessThan(LIMITS.keepAliveTimeoutMs + 1_500);
  });

  it("answers 431 to headers over the size limit, and closes", async () => {
    const { port } = await start();
    const client = await open(port);
    client.socket.write(`GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(8 * 1024)}\r\n\r\n`);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 431/);
  });

  it("answers 431 to more header lines than the limit, not a hang", async () => {
    const { port } = await start();
    const client = await open(port);
    const lines = Array.from({ length: 40 }, (_, n) => `X-H${n}: v\r\n`).join("");
    client.socket.write(`GET /ok HTTP/1.1\r\nHost: x\r\n${lines}\r\n`);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 431/);
    expect(client.received()).toContain("more than 20 header lines");
  });

  it("close() ends idle sockets at once and busy ones after the grace period", async () => {
    const { port } = await start();
    const idle = await open(port);
    idle.socket.write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((resolve) => idle.socket.once("data", resolve));
    const busy = await open(port);
    busy.socket.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    const trickler = await open(port);
    trickler.socket.write("GET /ok HTTP/1.1\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closing = Date.now();
    const closed = server!.close();
    await idle.closed;
    expect(Date.now() - closing).toBeLessThan(LIMITS.closeGraceMs);
    await Promise.all([busy.closed, trickler.closed, closed]);
    expect(Date.now() - closing).toBeLessThan(LIMITS.closeGraceMs + 500);
    server = undefined;
  });
});
