import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import type { RecordedRequest } from "../../src/stand-ins/stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { threadKey } from "../../src/types.js";
import { startBalancer, type Balancer } from "../helpers/balancer.js";
import { cleanEnv, runCli, startCli, tempDir, type RunningCli } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { eventually, freePort } from "../helpers/net.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";

const available = await postgresAvailable();
const TOKEN = "e2e-instances-token-0123456789abcdef";
const CUSTOMERS = Array.from({ length: 10 }, (_, i) => `+1415555${String(1000 + i)}`);
const INBOUND_EACH = 20;
const OUTBOUND_EACH = 20;
// Front's per-channel limit on a shorter time scale: one call per 40 ms. Each bridge paces one
// per 100 ms (the margin absorbs the delay between a grant and its request on a busy machine);
// only a budget shared by both keeps them, together, under the limit.
const PACE_MS = 100;
/** The Front conversation of a customer, as the stand-in threads it: agents reply in it. */
const conversationOf = (customer: string) =>
  `cnv_${createHash("sha256").update(threadKey(customer, "+14155550100")).digest("hex").slice(0, 10)}`;
const isFrontPost = (r: RecordedRequest) =>
  r.method === "POST" && r.path.endsWith("/incoming_messages");

describe.skipIf(!available)(
  "two bridge instances on one PostgreSQL schema (the built binary)",
  () => {
    const schema = freshSchema();
    const bridges: RunningCli[] = [];
    const envs: Record<string, string>[] = [];
    let front: FrontStandIn;
    let twilio: TwilioStandIn;
    let balancer: Balancer;
    let ports: number[];

    beforeAll(async () => {
      const contract = await contractValidators();
      ports = [await freePort(), await freePort()];
      balancer = await startBalancer(ports);
      front = await startFrontStandIn({
        validate: contract.front,
        channel: { id: "cha_multi", webhookUrl: `${balancer.url}/front/${TOKEN}` },
        rateLimits: { perWindow: 5_000, perChannelPerSecond: 1, burstWindowMs: 40 },
      });
      twilio = await startTwilioStandIn({
        validate: contract.twilio,
        smsUrl: `${balancer.url}/twilio/sms`,
      });
      for (const port of ports) {
        const dir = tempDir("ft-multi-");
        const env = cleanEnv({
          FRONT_TWILIO_CONFIG_DIR: dir,
          FRONT_TWILIO_DATA_DIR: `${dir}/data`,
          FRONT_TWILIO_DATABASE_URL: schema.url,
          // Both sit behind one balancer: Twilio signs, and Front calls, its URL.
          FRONT_TWILIO_PUBLIC_URL: balancer.url,
          FRONT_API_URL: front.url,
          TWILIO_API_URL: twilio.url,
          FRONT_API_TOKEN: front.token,
          FRONT_CHANNEL_ID: "cha_multi",
          FRONT_TWILIO_WEBHOOK_TOKEN: TOKEN,
          TWILIO_ACCOUNT_SID: twilio.accountSid,
          TWILIO_AUTH_TOKEN: twilio.authToken,
          TWILIO_PHONE_NUMBER: "+14155550100",
          FRONT_TWILIO_PACE_MS: String(PACE_MS),
          FRONT_TWILIO_RETRY_BASE_MS: "50",
          FRONT_TWILIO_MAX_BACKOFF: "1s",
          FRONT_TWILIO_POLL_MS: "100",
          FRONT_TWILIO_DOUBT_MS: "1500",
        });
        envs.push(env);
        const cli = startCli(
          ["serve", "--port", String(port), "--host", "127.0.0.1", "--catch-up", "0"],
          env,
        );
        bridges.push(cli);
      }
      // Started together: both migrate the fresh schema (one waits for the other).
      await Promise.all(bridges.map((cli) => cli.waitForOutput(/Press Ctrl\+C to stop/, 20_000)));
    }, 40_000);

    afterAll(async () => {
      for (const cli of bridges) if (cli.child.exitCode === null) cli.child.kill("SIGTERM");
      await Promise.all(bridges.map((cli) => cli.exited));
      await balancer?.close();
      await front?.close();
      await twilio?.close();
      await schema.drop();
      expect(front.violations).toEqual([]);
      expect(twilio.violations).toEqual([]);
    });

    it("loses nothing, repeats nothing, keeps each customer's order and the pace, when one is killed midway", async () => {
      let sent = 0;
      let killed = false;
      const killMidway = async () => {
        if (++sent < (CUSTOMERS.length * (INBOUND_EACH + OUTBOUND_EACH)) / 2 || killed) return;
        killed = true;
        bridges[1]!.child.kill("SIGKILL");
        await bridges[1]!.exited;
      };
      // Each customer's messages one after another (their order is Twilio's order), customers at once.
      await Promise.all(
        CUSTOMERS.map(async (customer, c) => {
          for (let n = 0; n < Math.max(INBOUND_EACH, OUTBOUND_EACH); n++) {
            if (n < INBOUND_EACH) {
              const answer = await twilio.sendInboundSms({ from: customer, body: `c${c} in ${n}` });
              expect(answer.status).toBe(200);
              await killMidway();
            }
            if (n < OUTBOUND_EACH) {
              const answer = await front.sendAgentMessage({
                to: customer,
                text: `c${c} out ${n}`,
                messageId: `msg_${c}_${n}`,
                conversationId: conversationOf(customer),
              });
              expect(answer.status).toBe(200);
              await killMidway();
            }
          }
        }),
      );
      expect(killed).toBe(true);
      expect(balancer.answered.every((count) => count > 50)).toBe(true);

      // Every message there (or time out), then exactly once and in order.
      const expected = CUSTOMERS.length * (INBOUND_EACH + OUTBOUND_EACH);
      await eventually(
        () =>
          new Set(front.incoming.map((m) => m.message.body)).size +
            new Set(twilio.messages.map((m) => m.body)).size >=
          expected,
        40_000,
      ).catch(() => undefined);

      CUSTOMERS.forEach((customer, c) => {
        const inbound = front.incoming
          .map((m) => m.message.body as string)
          .filter((body) => body.startsWith(`c${c} in `));
        expect(inbound, customer).toEqual(
          Array.from({ length: INBOUND_EACH }, (_, n) => `c${c} in ${n}`),
        );
        const outbound = twilio.messages.filter((m) => m.to === customer).map((m) => m.body);
        expect(outbound, customer).toEqual(
          Array.from({ length: OUTBOUND_EACH }, (_, n) => `c${c} out ${n}`),
        );
      });
      // The pace held across both instances. Two bridges pacing alone would each take every other
      // slot of Front's: about half their posts refused. A few late requests (a busy machine) may be.
      const posts = front.requests.filter(isFrontPost).length;
      const refused = front.rateLimited.burst + front.rateLimited.company;
      expect(refused, `${refused} of ${posts} answered 429`).toBeLessThanOrEqual(posts * 0.03);

      // Operations on the shared store: status lists the live instance, queue reads the queue.
      const status = await runCli(["status", "--url", `http://127.0.0.1:${ports[0]}`], envs[0]!);
      expect(status.stdout).toMatch(/Instances\s+[12]\n/);
      expect(status.stdout).toContain(`:${bridges[0]!.child.pid}  v`);
      const queue = await runCli(["queue", "list", "--json"], envs[0]!);
      expect(queue.code, queue.stderr).toBe(0);
    }, 60_000);
  },
);
