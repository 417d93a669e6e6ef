import { HEARTBEAT_MS } from "../bridge/heartbeat.js";
import type { StoreLocation } from "../store/open-store.js";
import { openExistingStore } from "../store/open-store.js";
import type { SeenInstance } from "../store/store.js";

/** An instance silent for three heartbeats is taken as gone. */
export const LIVE_WITHIN_MS = 3 * HEARTBEAT_MS;

/** The bridges sharing the store that beat recently, with the leases each holds. */
export async function liveInstances(location: StoreLocation, now: number): Promise<SeenInstance[]> {
  const store = await openExistingStore(location);
  if (!store) return [];
  try {
    return await store.instances(now - LIVE_WITHIN_MS);
  } finally {
    await store.close();
  }
}

export function instanceLines(instances: SeenInstance[], now: number): string[] {
  if (instances.length === 0) return ["Instances                    none seen in the last 15 s"];
  return [
    `Instances                    ${String(instances.length).padStart(8)}`,
    ...instances.map(
      (i) =>
        `  ${i.owner}  v${i.version}, up ${Math.round((now - i.startedAt) / 1000)}s, seen ${Math.round((now - i.lastSeen) / 1000)}s ago, ${i.leases} job(s) leased`,
    ),
  ];
}
