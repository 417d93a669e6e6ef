import { Writable } from "node:stream";

/** A stream that keeps what a command writes, for tests that run commands in process. */
export function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
