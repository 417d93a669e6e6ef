import type { Route } from "../types.js";
import type { FrontChannel } from "./front-channel.js";

/** A route the bridge serves, with the Front channel its messages go through. */
export interface ServedRoute {
  route: Route;
  channel: FrontChannel;
}

/** How every path finds its route: a job by its route id, a customer's SMS by our number. */
export interface RouteTable {
  readonly all: readonly ServedRoute[];
  byId(this: void, id: string): ServedRoute | undefined;
  byNumber(this: void, twilioNumber: string): ServedRoute | undefined;
}

export function createRouteTable(served: readonly ServedRoute[]): RouteTable {
  const ids = new Map(served.map((entry) => [entry.route.id, entry]));
  const numbers = new Map(served.map((entry) => [entry.route.twilioNumber, entry]));
  return {
    all: served,
    byId: (id) => ids.get(id),
    byNumber: (number) => numbers.get(number),
  };
}
