import { compactRoute, parseRoutes, selectRoutes, type RouteConfig } from "../../config/routes.js";
import type { Config } from "../../config/schema.js";
import { ConfigError } from "../../errors.js";
import { maskFrontPath } from "../../secret-path.js";
import { loadConfig, type CommandContext } from "../context.js";

/** What `routes list --json` prints for each route. */
export interface ListedRoute {
  number: string;
  channel: string | null;
  inbox: string | null;
  /** Custom mode: the path of this channel's Front webhook, `/front/<token>` (token in full). */
  webhookPath?: string;
  tag?: string;
  /** `MG…`: the Messaging Service replies leave through. */
  messagingService?: string;
}

/** The route's /front/<token>: its own token, else (first route) front.webhookToken. */
export function routeToken(config: Config, route: RouteConfig, index: number): string | undefined {
  return route.webhookToken ?? (index === 0 ? config.front.webhookToken : undefined);
}

export function listedRoutes(config: Config): ListedRoute[] {
  return config.routes.map((route, index) => {
    const token = routeToken(config, route, index);
    return {
      number: route.number,
      channel: route.channel ?? null,
      inbox: route.inbox ?? null,
      ...(config.front.mode === "custom" && token ? { webhookPath: `/front/${token}` } : {}),
      ...(route.tag ? { tag: route.tag } : {}),
      ...(route.messagingService ? { messagingService: route.messagingService } : {}),
    };
  });
}

/** `routes list`: every (number, channel, inbox) the bridge serves; tokens masked unless --json. */
export function routesList(options: { json?: boolean }, context: CommandContext): number {
  const { config } = loadConfig(context);
  const routes = listedRoutes(config);
  if (options.json) {
    context.stdout.write(`${JSON.stringify(routes, null, 2)}\n`);
    return 0;
  }
  if (routes.length === 0) {
    context.stdout.write(
      "No routes yet: add one with `front-twilio routes add --number +1… --channel cha_…` (or run `front-twilio init`).\n",
    );
    return 0;
  }
  const width = Math.max(...routes.map((route) => route.number.length));
  for (const route of routes)
    context.stdout.write(
      `${route.number.padEnd(width)}  →  ${route.channel ?? "(channel not connected yet)"}${route.inbox ? ` in ${route.inbox}` : ""}${route.webhookPath ? `  ${maskFrontPath(route.webhookPath)}` : ""}${route.tag ? `  tag ${route.tag}` : ""}${route.messagingService ? `  via ${route.messagingService}` : ""}\n`,
    );
  return 0;
}

/**
 * `routes remove --number N` (or `--channel`): the route leaves the config file. Nothing is
 * changed at Twilio or Front; jobs already queued for it are dead-lettered with the reason when
 * the bridge next tries them.
 */
export function routesRemove(
  options: { number?: string; channel?: string },
  context: CommandContext,
): number {
  const pick = options.number ?? options.channel;
  if (!pick)
    throw new ConfigError("routes remove needs the route to remove.", {
      hint: "Pass --number +1… or --channel cha_… (`front-twilio routes list` shows them).",
      exitCode: 2,
    });
  // loadConfig has already folded single-route keys into the file's routes.
  const { config } = loadConfig(context);
  const store = context.configStore();
  const file = store.read();
  const listed = parseRoutes(file.routes, {
    filePath: store.path,
    defaultCountry: config.phone.defaultCountry,
  });
  const [gone] = selectRoutes(
    listed,
    pick,
    (route) => ({ number: route.number, channel: route.channel }),
    config.phone.defaultCountry,
  );
  const kept = listed.filter((route) => route !== gone);
  // The first route's path token is front.webhookToken: the one that becomes first keeps its own.
  if (gone && listed[0] === gone && kept[0] && !kept[0].webhookToken && config.front.webhookToken)
    kept[0] = { ...kept[0], webhookToken: config.front.webhookToken };
  store.set("routes", kept.map(compactRoute));
  context.stdout.write(
    `Removed the route ${gone!.number} → ${gone!.channel ?? "(no channel)"} from ${store.path}; ${kept.length} route(s) left.\n`,
  );
  return 0;
}
