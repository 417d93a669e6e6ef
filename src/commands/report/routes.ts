import type { Config } from "../../config/schema.js";
import type { ReportRoute } from "../../report/gather.js";
import { makeRoute } from "../../types.js";

/**
 * The routes a report covers, from today's single-route configuration (twilio.phoneNumber,
 * front.channelId, front.inboxId). Issue 14 makes the configuration a list of routes; this is the
 * one function to replace then.
 */
export function reportRoutes(config: Config): ReportRoute[] {
  const { phoneNumber } = config.twilio;
  const { channelId, inboxId } = config.front;
  if (!phoneNumber || !channelId) return [];
  return [{ ...makeRoute(phoneNumber, channelId), ...(inboxId ? { inboxId } : {}) }];
}
