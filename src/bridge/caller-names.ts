import type { FrontClient } from "../clients/front.js";
import { FrontApiError } from "../clients/front-errors.js";
import type { TwilioGateway } from "../clients/twilio.js";
import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";
import { shortNumber } from "../text.js";

export interface CallerNamesOptions {
  store: Store;
  twilio: TwilioGateway;
  /** Front's Core API, to name the contact; absent in application mode without a token. */
  front?: FrontClient;
  clock: Clock;
  logger: Logger;
  metrics: Pick<Metrics, "lookup">;
  /** How long a result (also "no name") is kept; Lookup is billed per request. */
  ttlMs?: number;
  /** Delivery never waits longer than this for Lookup. */
  timeoutMs?: number;
}

/**
 * Caller names from Twilio Lookup v2, looked up once per number and cached in the store. A slow
 * or failing Lookup costs the message its name, never its delivery.
 */
export function createCallerNames(options: CallerNamesOptions) {
  const { store, clock, logger, metrics } = options;
  const ttlMs = options.ttlMs ?? 30 * 24 * 3600_000;
  const timeoutMs = options.timeoutMs ?? 1_500;

  async function lookup(number: string): Promise<string | null> {
    const timer = new AbortController();
    const timeout = clock.sleep(timeoutMs, timer.signal).then(() => {
      throw new Error(`no answer in ${timeoutMs} ms`);
    });
    try {
      return await Promise.race([options.twilio.lookupCallerName(number), timeout]);
    } finally {
      timer.abort();
    }
  }

  /** Finds the contact by its phone alias, then names it (or creates it with the name). */
  async function nameContact(front: FrontClient, number: string, name: string) {
    try {
      const contact = await front.getContact(`alt:phone:${number}`).catch((error: unknown) => {
        if (error instanceof FrontApiError && error.status === 404) return undefined;
        throw error;
      });
      if (!contact)
        await front.createContact({ name, handles: [{ handle: number, source: "phone" }] });
      else if (contact.name !== name) await front.renameContact(contact.id, name);
    } catch (error) {
      logger.warn(
        `could not name the Front contact ${shortNumber(number)}: ${errorMessage(error)}`,
      );
    }
  }

  /** Lookups under way: concurrent messages from one new number share one (billed) request. */
  const inFlight = new Map<string, Promise<string | undefined>>();

  async function lookUpAndName(number: string): Promise<string | undefined> {
    let name: string | null;
    try {
      name = await lookup(number);
    } catch (error) {
      metrics.lookup("error");
      logger.warn(
        `caller-name lookup for ${shortNumber(number)} failed (${errorMessage(error)}); delivering without a name`,
      );
      return undefined;
    }
    await store.setCallerName(number, name, clock.now());
    metrics.lookup(name ? "found" : "none");
    if (name && options.front) await nameContact(options.front, number, name);
    return name ?? undefined;
  }

  return {
    async nameFor(number: string): Promise<string | undefined> {
      if (!/^\+\d{8,15}$/.test(number)) return undefined;
      const cached = await store.getCallerName(number);
      if (cached && clock.now() - cached.lookedUpAt < ttlMs) {
        metrics.lookup("cached");
        return cached.name ?? undefined;
      }
      const pending = inFlight.get(number);
      if (pending) {
        metrics.lookup("cached");
        return pending;
      }
      const lookup = lookUpAndName(number).finally(() => inFlight.delete(number));
      inFlight.set(number, lookup);
      return lookup;
    },
  };
}

export type CallerNames = ReturnType<typeof createCallerNames>;
