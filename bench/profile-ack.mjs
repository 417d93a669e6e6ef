// Not part of `npm run bench`: starts one bridge with --cpu-prof and loads it for a few seconds,
// to see where an acknowledgement's time goes. `node bench/profile-ack.mjs` → a .cpuprofile in /tmp.
import autocannon from "autocannon";
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";

const dist = new URL("../dist/", import.meta.url);
const { signTwilio } = await import(new URL("webhooks/twilio-signature.js", dist).href);
const { encodeForm } = await import(new URL("webhooks/form.js", dist).href);
const child = fork(new URL("./lib/server-process.mjs", import.meta.url), ["bridge", "{}"], {
  execArgv: ["--cpu-prof", "--cpu-prof-dir=/tmp"],
});
const target = await new Promise((resolve) => child.once("message", resolve));
const url = `${target.url}/twilio/sms`;
const result = await autocannon({
  url: target.url,
  connections: 64,
  duration: 4,
  requests: [
    {
      method: "POST",
      path: "/twilio/sms",
      setupRequest(request) {
        const sid = `SM${randomBytes(16).toString("hex")}`;
        const body = encodeForm({
          MessageSid: sid,
          SmsSid: sid,
          AccountSid: target.accountSid,
          From: `+1415${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`,
          To: target.twilioNumber,
          Body: "Hi",
          NumMedia: "0",
        });
        return {
          ...request,
          body,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": signTwilio(target.authToken, url, body),
          },
        };
      },
    },
  ],
});
console.log(`${result.requests.average} req/s, non-2xx ${result.non2xx}`);
child.send("stop");
