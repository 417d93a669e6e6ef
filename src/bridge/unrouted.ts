import type { Clock } from "../clock.js";
import type { Store } from "../store/store.js";

/**
 * Customer messages to a number of the account that no route serves. Twilio's webhook is answered
 * (retrying would not help: the message belongs nowhere), and each such number is kept with a
 * count so that `doctor` and `queue` can show what no channel received.
 */
export interface UnroutedNumber {
  number: string;
  count: number;
  lastAt: number;
  /** The last message's sid, to find it in Twilio's console. */
  lastSid: string;
}

const KEY = "unrouted.numbers";
/** Only numbers of the (signed, verified) account get here; the cap bounds the record anyway. */
const MAX_NUMBERS = 50;

export function createUnroutedLog(deps: { store: Store; clock: Clock }) {
  // One update at a time, so two messages arriving together both count.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    record(number: string, sid: string): Promise<void> {
      const update = chain.then(async () => {
        const numbers = await readUnrouted(deps.store);
        const known = numbers.find((entry) => entry.number === number);
        const now = deps.clock.now();
        if (known) Object.assign(known, { count: known.count + 1, lastAt: now, lastSid: sid });
        else numbers.push({ number, count: 1, lastAt: now, lastSid: sid });
        numbers.sort((a, b) => b.lastAt - a.lastAt);
        await deps.store.setMeta(KEY, JSON.stringify(numbers.slice(0, MAX_NUMBERS)));
      });
      chain = update.catch(() => undefined);
      return update;
    },
  };
}

export type UnroutedLog = ReturnType<typeof createUnroutedLog>;

/** The numbers that received messages no route serves, most recent first. */
export async function readUnrouted(store: Pick<Store, "getMeta">): Promise<UnroutedNumber[]> {
  const raw = await store.getMeta(KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as UnroutedNumber[]) : [];
  } catch {
    return [];
  }
}
