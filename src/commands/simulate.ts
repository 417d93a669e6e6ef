import chalk from "chalk";
import { BridgeError } from "../errors.js";
import { normalizeAddress } from "../phone.js";
import {
  frontCustomMessage,
  send,
  signedFrontRequest,
  signedTwilioRequest,
  twilioInboundParams,
  type SignedRequest,
} from "../simulate/payloads.js";
import { loadClientConfig, type CommandContext } from "./context.js";
import { requireSettings } from "../config/resolve.js";
import { baseUrl } from "../config/parsers.js";

export interface SimulateSmsOptions {
  from: string;
  body: string;
  media?: string[];
  url?: string;
}

export interface SimulateReplyOptions {
  to: string;
  body: string;
  url?: string;
}

/**
 * Correctly signed fake webhooks for a running bridge, like `stripe trigger`: a customer's SMS as
 * Twilio sends it, or an agent's reply as the Front custom channel sends it.
 */
export async function simulateSms(
  options: SimulateSmsOptions,
  context: CommandContext,
): Promise<number> {
  const { config } = loadClientConfig(context);
  requireSettings(config, ["twilio.authToken", "twilio.phoneNumber"], {
    name: "simulate sms",
    flags: [],
  });
  const target = targetUrl(options.url, config.bridge.publicUrl);
  const from = address(options.from, "--from", config.phone.defaultCountry);
  const params = twilioInboundParams({
    accountSid: config.twilio.accountSid ?? `AC${"0".repeat(32)}`,
    from,
    to: config.twilio.phoneNumber!,
    body: options.body,
    media: (options.media ?? []).map((url) => ({ url, contentType: guessType(url) })),
  });
  // Twilio signs the URL it was configured with: the public URL, wherever the request is sent.
  const signedUrl = `${config.bridge.publicUrl ?? target}/twilio/sms`;
  return report(
    signedTwilioRequest(config.twilio.authToken!, signedUrl, params, `${target}/twilio/sms`),
    context,
  );
}

export async function simulateReply(
  options: SimulateReplyOptions,
  context: CommandContext,
): Promise<number> {
  const { config } = loadClientConfig(context);
  requireSettings(config, ["front.webhookToken"], { name: "simulate reply", flags: [] });
  const target = targetUrl(options.url, config.bridge.publicUrl);
  const to = address(options.to, "--to", config.phone.defaultCountry);
  const message = frontCustomMessage({ apiBase: config.api.frontUrl, to, text: options.body });
  const url = `${target}/front/${config.front.webhookToken}`;
  return report(
    signedFrontRequest(url, message, config.front.webhookSecret),
    context,
    config.front.webhookToken,
  );
}

async function report(
  request: SignedRequest,
  context: CommandContext,
  hide?: string,
): Promise<number> {
  const out = (line: string) => context.stdout.write(`${line}\n`);
  const shown = hide ? request.url.replace(`/front/${hide}`, "/front/<token>") : request.url;
  out(chalk.bold(`--> POST ${shown}`));
  for (const [name, value] of Object.entries(request.headers)) out(`    ${name}: ${value}`);
  out(`    ${request.body}`);
  let answer;
  try {
    answer = await send(request);
  } catch (error) {
    throw new BridgeError(
      `Nothing answered at ${shown} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}).`,
      {
        hint: "Start the bridge (`front-twilio serve`, or `front-twilio demo --keep`) or pass its address with --url.",
      },
    );
  }
  out(chalk.bold(`<-- ${answer.status}`));
  out(`    ${typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)}`);
  return answer.status >= 200 && answer.status < 300 ? 0 : 1;
}

function targetUrl(url: string | undefined, publicUrl: string | undefined): string {
  const target = url ?? publicUrl;
  if (!target) {
    throw new BridgeError("simulate needs the bridge's address.", {
      hint: "Pass --url http://127.0.0.1:3000, or set bridge.publicUrl (FRONT_TWILIO_PUBLIC_URL).",
    });
  }
  try {
    return baseUrl(target);
  } catch (error) {
    throw new BridgeError(`--url ${target}: ${(error as Error).message}.`, { exitCode: 2 });
  }
}

function address(raw: string, flag: string, defaultCountry?: string): string {
  const parsed = normalizeAddress(raw, defaultCountry);
  if (parsed.kind === "invalid")
    throw new BridgeError(`${flag} ${raw}: ${parsed.reason}.`, { exitCode: 2 });
  return parsed.value;
}

function guessType(url: string): string {
  const extension = /\.(\w+)(?:\?|$)/.exec(url)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    png: "image/png",
    gif: "image/gif",
    pdf: "application/pdf",
    mp4: "video/mp4",
  };
  return (extension && types[extension]) ?? "application/octet-stream";
}
