import type { MediaFile } from "./twilio-media.js";

/**
 * Front's multipart convention (front-api.md §4): one field per JSON property, nested keys in
 * brackets (`sender[handle]`), files as `attachments[0]`, `attachments[1]`, …
 */
export function toFormData(fields: Record<string, unknown>, files: MediaFile[]): FormData {
  const form = new FormData();
  const add = (prefix: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value))
        add(prefix ? `${prefix}[${key}]` : key, inner);
    } else form.append(prefix, `${value as string | number | boolean}`);
  };
  add("", fields);
  files.forEach((file, n) => {
    form.append(
      `attachments[${n}]`,
      new Blob([file.bytes], { type: file.contentType }),
      file.filename,
    );
  });
  return form;
}
