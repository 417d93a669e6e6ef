import { matchPath } from "../http/path-match.js";
import { randomBytes } from "node:crypto";
import { verifyHs256 } from "../clients/jwt.js";
import { type RecordedRequest, type Reply } from "./stand-in.js";

export interface StandInAttachment {
  id: string;
  url: string;
  filename: string;
  content_type: string;
  size: number;
}

/** Attachments agents send, downloadable at `/download/{id}` with the Core API token or a channel JWT. */
export function createFileStore(auth: { token: string; appSecret?: string }) {
  const files = new Map<string, { filename: string; contentType: string; bytes: Buffer }>();
  return {
    add(base: string, filename: string, contentType: string, bytes: Buffer): StandInAttachment {
      const id = `fil_${randomBytes(4).toString("hex")}`;
      files.set(id, { filename, contentType, bytes });
      return {
        id,
        url: `${base}/download/${id}`,
        filename,
        content_type: contentType,
        size: bytes.length,
      };
    },
    /** GET /download/{id} (front-api.md §4). */
    route(
      request: RecordedRequest,
      error: (status: number, title: string, message: string) => Reply,
    ): Reply | undefined {
      const params = matchPath("/download/:id", request.path);
      if (!params || request.method !== "GET") return undefined;
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1] ?? "";
      const allowed =
        bearer === auth.token ||
        (auth.appSecret !== undefined && verifyHs256(bearer, auth.appSecret) !== undefined);
      if (!allowed) return error(401, "Unauthenticated", "JSON Web Token error");
      const file = files.get(params.id!);
      if (!file) return error(404, "Not found", `Unknown attachment ${params.id}`);
      return {
        status: 200,
        headers: {
          "content-type": file.contentType,
          "content-disposition": `attachment; filename="${file.filename}"`,
        },
        body: file.bytes,
      };
    },
  };
}
