import { BridgeError } from "../../errors.js";
import { normalizeAddress } from "../../phone.js";
import type { ReportRoute } from "../../report/gather.js";

export interface ReportOptions {
  since?: string;
  from?: string;
  to?: string;
  timezone?: string;
  by?: string;
  route?: string;
  compare?: string;
  json?: boolean;
  csv?: boolean;
  html?: string;
}

/** --by, and that --json and --csv are not both asked. */
export function checkReportOptions(options: ReportOptions): { by?: "day" | "week" } {
  if (options.json && options.csv)
    throw new BridgeError("--json and --csv cannot be used together.", {
      hint: "They give the same figures: pick one.",
      exitCode: 2,
    });
  if (options.by === undefined) return {};
  if (options.by !== "day" && options.by !== "week")
    throw new BridgeError(`--by ${options.by}: expected day or week.`, { exitCode: 2 });
  return { by: options.by };
}

/** The routes --route picks (a Twilio number in any format, or a Front channel id). */
export function pickRoutes(
  routes: ReportRoute[],
  pick: string | undefined,
  defaultCountry?: string,
): ReportRoute[] {
  if (routes.length === 0)
    throw new BridgeError(
      "No route is configured: report needs the Twilio number and the Front channel.",
      {
        hint: "Run `front-twilio init`, or set twilio.phoneNumber (TWILIO_PHONE_NUMBER) and front.channelId (FRONT_CHANNEL_ID).",
      },
    );
  if (pick === undefined) return routes;
  const address = normalizeAddress(pick, defaultCountry);
  const number = address.kind === "invalid" ? undefined : address.value;
  const found = routes.filter((r) => r.channelId === pick || r.twilioNumber === number);
  if (found.length === 0)
    throw new BridgeError(`--route ${pick}: no route has that number or channel.`, {
      hint: `Routes: ${routes.map((r) => `${r.twilioNumber} (${r.channelId})`).join(", ")}.`,
      exitCode: 2,
    });
  return found;
}
