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
}

const FIELDS: Record<keyof RouteConfig, (raw: string) => string> = {
  number: twilioNumber,
  channel: prefixed("cha_", "a Front channel ID"),
  inbox: prefixed("inb_", "a Front inbox ID"),
  webhookToken: text,
  tag: text,
};

/** The keys of the single-route setup, which read as one route and are folded into `routes`. */
export const SINGLE_ROUTE_KEYS = ["twilio.phoneNumber", "front.channelId", "front.inboxId"] as const;

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
      try {
        route[name as keyof RouteConfig] = parse(String(value));
      } catch (error) {
        throw fail(`routes[${index}].${name} "${String(value)}": ${(error as Error).message}`);
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

/** The file with its single-route keys folded into `routes` (the 0.1 format, migrated). */
export function foldSingleRoute(
  file: Record<string, unknown>,
  route: RouteConfig | undefined,
): Record<string, unknown> | undefined {
  const twilio = (file.twilio ?? {}) as Record<string, unknown>;
  const front = (file.front ?? {}) as Record<string, unknown>;
  if (file.routes !== undefined || twilio.phoneNumber === undefined || !route) return undefined;
  const { phoneNumber: _number, ...twilioRest } = twilio;
  const { channelId: _channel, inboxId: _inbox, ...frontRest } = front;
  return { ...file, twilio: twilioRest, front: frontRest, routes: [compactRoute(route)] };
}

export function compactRoute(route: RouteConfig): RouteConfig {
  return Object.fromEntries(
    Object.entries(route).filter(([, value]) => value !== undefined),
  ) as unknown as RouteConfig;
}
