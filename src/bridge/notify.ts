import type { ServedRoute } from "./route-table.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Job, Store } from "../store/store.js";
import type { FailureNotice } from "../types.js";
import type { Outcome } from "../worker/outcome.js";

/** Queues a failure notice for the agent; `dedupeKey` makes repeats (status retries) harmless. */
export async function enqueueFailureNotice(
  deps: { store: Store; clock: Clock; wake: () => void },
  route: string,
  dedupeKey: string,
  notice: FailureNotice,
): Promise<boolean> {
  const { created } = await deps.store.enqueue(
    {
      kind: "notify",
      dedupeKey,
      route,
      orderKey: `notify:${notice.conversationId}`,
      payload: notice,
    },
    deps.clock.now(),
  );
  if (created) deps.wake();
  return created;
}

/** The worker's handler for notify jobs. */
export function createNotifyHandler(deps: {
  logger: Logger;
  routes: (id: string) => ServedRoute | undefined;
}) {
  return async (job: Job): Promise<Outcome> => {
    const notice = job.payload as FailureNotice;
    const served = deps.routes(job.route);
    if (!served) return { kind: "dead", error: `no route ${job.route} is configured any more` };
    await served.channel.reportFailure(notice, served.route);
    deps.logger.info(`<-- front failure reported on ${notice.conversationId}: ${notice.reason}`);
    return { kind: "done" };
  };
}
