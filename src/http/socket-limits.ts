/**
 * How long and how much the bridge lets one connection take. The bridge listens on a public URL,
 * so a client that trickles its headers, idles on a keep-alive socket or sends huge headers must
 * not hold a socket for long (issue 10, item 5).
 */
export interface SocketLimits {
  /** A client must finish sending its headers within this (node answers 408, then closes). */
  headersTimeoutMs: number;
  /** A whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often node looks for requests past their timeouts; the cut comes at most this late. */
  checkIntervalMs: number;
  /** All request headers together, in bytes; more is answered 431 (node's own check). */
  maxHeaderBytes: number;
  /** Number of header lines; more is answered 431. */
  maxHeaders: number;
  /** On shutdown a busy socket gets this long to finish its response before it is cut. */
  closeGraceMs: number;
}

// Headers within 10 s (+ the 1 s check): a trickling client is cut within 15 s. Twilio and Front
// send a few hundred bytes of headers in one packet, so these limits never touch them.
export const SOCKET_LIMITS: SocketLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxHeaders: 100,
  closeGraceMs: 2_000,
};
