import { ConfigError } from "../errors.js";
import { InvalidAddressError, toAddress } from "../phone.js";
import { prefixed, text, twilioNumber } from "./parsers.js";

/**
 * One route of the configuration: a Twilio number and the Front channel (and inbox) its messages
 * go to. Kept in the config file as `routes: [...]` and changed with `front-twilio routes`.
 */
export interface RouteConfig {
  /** Our Twilio number, E.164 (or a short code). */
  number: string;
  /** `cha_…`; in application mode it may be learnt from Front's authorization event. */
  channel?: string;
  inbox?: string;
  /** The path token of this route's `/front/<token>`; the first route uses front.webhookToken. */
  webhookToken?: string;
  /** A Front tag added to every new SMS conversation of this route. */
  tag?: string;
  /** `MG…`: the Messaging Service the number belongs to; replies are sent through it. */
  messagingService?: string;
}

const FIELDS: Record<keyof RouteConfig, (raw: string) => string> = {
  number: twilioNumber,
  channel: prefixed("cha_", "a Front channel ID"),
  inbox: prefixed("inb_", "a Front inbox ID"),
  webhookToken: text,
  tag: text,
  messagingService: prefixed("MG", "a Twilio Messaging Service SID"),
};

/** Reads and validates the file's `routes`; an error names the entry and the file. */
export function parseRoutes(
  raw: unknown,
  options: { filePath?: string; defaultCountry?: string | undefined } = {},
): RouteConfig[] {
  if (raw === undefined) return [];
  const where = options.filePath ? ` in ${options.filePath}` : "";
  const fail = (message: string) =>
    new ConfigError(`Invalid routes${where}: ${message}.`, {
      hint: "Fix or remove the entry in the file; `front-twilio routes add` and `routes remove` validate what they write.",
    });
  if (!Array.isArray(raw)) throw fail("expected a list of {number, channel, inbox}");
  const routes = raw.map((entry: unknown, index) => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry))
      throw fail(`routes[${index}] is not an object`);
    const route: Partial<RouteConfig> = {};
    for (const [name, value] of Object.entries(entry as Record<string, unknown>)) {
      const parse = FIELDS[name as keyof RouteConfig] as ((raw: string) => string) | undefined;
      if (!parse) throw fail(`routes[${index}].${name} is not a route field`);
      if (value === undefined || value === "") continue;
      if (typeof value !== "string" && typeof value !== "number")
        throw fail(`routes[${index}].${name} is not text`);
      try {
        route[name as keyof RouteConfig] = parse(String(value));
      } catch (error) {
        throw fail(`routes[${index}].${name} "${value}": ${(error as Error).message}`);
      }
    }
    if (!route.number) throw fail(`routes[${index}] has no number`);
    try {
      route.number = toAddress(route.number, options.defaultCountry);
    } catch (error) {
      if (!(error instanceof InvalidAddressError)) throw error;
      throw fail(`routes[${index}].number: ${error.message}`);
    }
    return route as RouteConfig;
  });
  const numbers = new Set<string>();
  for (const route of routes) {
    if (numbers.has(route.number)) throw fail(`${route.number} is listed twice`);
    numbers.add(route.number);
  }
  return routes;
}

/**
 * The routes the bridge serves: the file's list, with the single-route settings (flags,
 * environment, or a file not yet migrated) read as one route. A single-route number already in
 * the list refines that route (its channel and inbox); a new one comes first.
 */
export function mergeRoutes(
  listed: RouteConfig[],
  single: { number?: string | undefined; channel?: string | undefined; inbox?: string | undefined },
): RouteConfig[] {
  const routes = listed.map((route) => ({ ...route }));
  const refine = (route: RouteConfig) => {
    if (single.channel) route.channel = single.channel;
    if (single.inbox) route.inbox = single.inbox;
  };
  if (single.number) {
    const known = routes.find((route) => route.number === single.number);
    if (known) refine(known);
    else {
      const route: RouteConfig = { number: single.number };
      refine(route);
      routes.unshift(route);
    }
  } else if (routes.length === 1) refine(routes[0]!);
  return routes;
}

/**
 * The file with its single-route keys (`twilio.phoneNumber`, `front.channelId`, `front.inboxId`)
 * folded into `routes`: the 0.1 format migrated, or what `init` just saved added or updated (by
 * number). Undefined when the file has no single-route number.
 */
export function foldSingleRoute(
  file: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const twilio = { ...((file.twilio ?? {}) as Record<string, unknown>) };
  const front = { ...((file.front ?? {}) as Record<string, unknown>) };
  const phone = (file.phone ?? {}) as Record<string, unknown>;
  if (typeof twilio.phoneNumber !== "string") return undefined;
  const country = typeof phone.defaultCountry === "string" ? phone.defaultCountry : undefined;
  const single: RouteConfig = { number: toAddress(twilio.phoneNumber, country) };
  if (typeof front.channelId === "string") single.channel = front.channelId;
  if (typeof front.inboxId === "string") single.inbox = front.inboxId;
  const routes = Array.isArray(file.routes) ? [...(file.routes as RouteConfig[])] : [];
  const index = routes.findIndex((route) => route.number === single.number);
  if (index >= 0) routes[index] = { ...routes[index]!, ...single };
  else routes.push(single);
  delete twilio.phoneNumber;
  delete front.channelId;
  delete front.inboxId;
  return { ...file, twilio, front, routes };
}

export function compactRoute(route: RouteConfig): RouteConfig {
  return Object.fromEntries(
    Object.entries(route).filter(([, value]) => value !== undefined),
  ) as unknown as RouteConfig;
}

/**
 * The routes a `--route` value picks: by our number (any format) or by channel id; all of them
 * when no value is given. An unknown value is an error listing the routes there are.
 */
export function selectRoutes<T>(
  routes: readonly T[],
  pick: string | undefined,
  view: (route: T) => { number: string; channel?: string | undefined },
  defaultCountry?: string,
): T[] {
  if (pick === undefined) return [...routes];
  let number: string | undefined;
  try {
    number = toAddress(pick, defaultCountry);
  } catch {
    number = undefined;
  }
  const chosen = routes.filter((route) => {
    const { number: ours, channel } = view(route);
    return ours === number || ours === pick.trim() || channel === pick.trim();
  });
  if (chosen.length > 0) return chosen;
  const known = routes.map((route) => {
    const { number: ours, channel } = view(route);
    return `${ours}${channel ? ` (${channel})` : ""}`;
  });
  throw new ConfigError(`No route matches --route ${pick}.`, {
    hint: known.length
      ? `Pick one of: ${known.join(", ")} (by number or channel id).`
      : "No route is configured: run `front-twilio routes add` or `front-twilio init`.",
    exitCode: 2,
  });
}
