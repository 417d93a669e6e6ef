import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv as AjvClass, type Options as AjvOptions } from "ajv";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Document } from "openapi-backend";
import type { RecordedRequest, Validator } from "../../src/stand-ins/stand-in.js";
import { SPECS_DIR, specsPresent } from "./specs.js";

/**
 * Validators for the stand-ins: each request the bridge makes is matched to an operation of the
 * vendor's official OpenAPI document and its path, query and body are checked against it.
 * Without ../shared/specs (outside CI) they check nothing; global-setup says so.
 */
export interface ContractValidators {
  front: Validator;
  twilio: Validator;
}

const loaded = new Map<string, Promise<OpenAPIBackend>>();

/**
 * Twilio bodies are form-encoded, where every value is a string ("true", "3600"), so its schemas
 * are checked with Ajv's type coercion; Front's JSON bodies are checked strictly.
 */
function api(file: string, formBodies = false): Promise<OpenAPIBackend> {
  let promise = loaded.get(file);
  if (!promise) {
    const definition = JSON.parse(readFileSync(resolve(SPECS_DIR, file), "utf8")) as Document;
    const backend = new OpenAPIBackend({
      definition,
      quick: true,
      validate: true,
      strict: false,
      coerceTypes: true,
      customizeAjv: (original: AjvClass, options: AjvOptions) => {
        const ajv = formBodies ? new AjvClass({ ...options, coerceTypes: "array" }) : original;
        addFormats.default(ajv);
        // Twilio's own format names; the SDK's parameters are strings.
        ajv.addFormat("phone-number", true);
        ajv.addFormat("http-method", /^(GET|POST|PUT|PATCH|DELETE|HEAD)$/);
        ajv.addFormat("iso-country-code", /^[A-Z]{2}$/);
        return ajv;
      },
    });
    promise = backend.init();
    loaded.set(file, promise);
  }
  return promise;
}

function check(
  backend: OpenAPIBackend,
  spec: string,
  request: RecordedRequest,
  path = request.path,
): string[] {
  // Front documents attachments as multipart fields of the JSON schema (`attachments` binary[]):
  // the decoded multipart fields are checked against that schema.
  const headers = request.files
    ? { ...request.headers, "content-type": "application/json" }
    : request.headers;
  const shaped = {
    method: request.method.toLowerCase(),
    path,
    query: { ...request.query },
    headers: headers as Record<string, string>,
    // Ajv's coercion rewrites values in place; the stand-in must still see what was sent.
    body: structuredClone(request.body),
  };
  const operation = backend.matchOperation(shaped);
  if (!operation) return [`no operation ${request.method} ${request.path} in ${spec}`];
  const result = backend.validateRequest(shaped, operation);
  if (result.valid) return [];
  return (result.errors ?? []).map((e) =>
    `${spec} ${operation.operationId}: ${e.instancePath || "/"} ${e.message ?? ""}`.trim(),
  );
}

export async function contractValidators(): Promise<ContractValidators> {
  if (!specsPresent()) return { front: () => [], twilio: () => [] };
  const [frontCore, frontChannel, twilio2010, messaging, lookups] = await Promise.all([
    api("front-core-api.json"),
    api("front-channel-api.json"),
    api("twilio_api_v2010.json", true),
    api("twilio_messaging_v1.json", true),
    api("twilio_lookups_v2.json", true),
  ]);
  return {
    front: (request) => {
      // Channel API calls carry a JWT (application channels); everything else is the Core API.
      // Attachment downloads, messages and conversations are Core API routes, also open to a
      // channel's JWT for its own resources (front-api.md §1.2, §4).
      const jwt =
        /^Bearer eyJ/.test(String(request.headers.authorization ?? "")) &&
        !/^\/(download|messages|conversations)\//.test(request.path);
      return jwt
        ? check(frontChannel, "front-channel-api", request)
        : check(frontCore, "front-core-api", request);
    },
    twilio: (request) => {
      // The media CDN that Twilio redirects to is not part of the REST API.
      if (request.path.startsWith("/cdn/")) return [];
      // ../shared/specs has no Conversations document: this one read-only call cannot be checked.
      if (request.path === "/v1/Configuration/Addresses") return [];
      // A Media resource's content is fetched at its URL without ".json" (twilio-api.md §1.2).
      if (/\/Media\/ME\w+$/.test(request.path)) {
        return check(twilio2010, "twilio_api_v2010", request, `${request.path}.json`);
      }
      if (request.path.startsWith("/2010-04-01/"))
        return check(twilio2010, "twilio_api_v2010", request);
      if (request.path.startsWith("/v1/")) return check(messaging, "twilio_messaging_v1", request);
      if (request.path.startsWith("/v2/")) return check(lookups, "twilio_lookups_v2", request);
      return [`no Twilio spec covers ${request.path}`];
    },
  };
}
