/**
 * Input no route could use, refused once for every route before Remix sees it: a NUL character
 * (PostgreSQL text cannot hold one, so it used to end in a 500 deep in a query), a body too large
 * or not a form, and a form whose body does not match its Content-Type. The body is read here,
 * within its limit, and handed on in `res.locals.body` (server/http.ts gives it to Remix).
 */
import type express from "express";
import type { MessageKey } from "../app/i18n/en.ts";

/** Forms without files: a forum post is at most 20,000 characters, ~180 KB percent-encoded. */
export const FORM_BODY_MAX_BYTES = 1024 * 1024;
/**
 * Forms with files. Above the largest upload a route accepts (a 4 MiB product picture), so that a
 * photo too large for its field is refused beside the field, in the route's words.
 */
export const UPLOAD_BODY_MAX_BYTES = 16 * 1024 * 1024;

export interface InputRefusal {
  status: 400 | 413 | 415;
  reason: MessageKey;
  vars?: Record<string, string>;
}

const nul = (text: string) => text.includes("\u0000");

/** The path or query names a NUL, percent-encoded or raw. */
export function urlRefusal(url: string): InputRefusal | null {
  return /%00/i.test(url) || nul(url) ? { status: 400, reason: "error.400.nul" } : null;
}

export type FormKind = "urlencoded" | "multipart";

export function formKind(contentType: string | undefined): FormKind | null {
  const type = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "multipart/form-data") return "multipart";
  return null;
}

/** A form body's fields (and file names) hold no NUL; a multipart body parses as one. */
export async function formRefusal(contentType: string, body: Buffer<ArrayBuffer>): Promise<InputRefusal | null> {
  let texts: string[];
  if (formKind(contentType) === "urlencoded") {
    texts = [...new URLSearchParams(body.toString("utf8"))].flat();
  } else {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return { status: 400, reason: "error.400.form" };
    }
    texts = [...form].flatMap(([name, value]) => [name, typeof value === "string" ? value : value.name]);
  }
  return texts.some(nul) ? { status: 400, reason: "error.400.nul" } : null;
}

/** Reads the body up to `limit` bytes; null when it is longer (the rest is left unread). */
export function readBody(req: express.Request, limit: number): Promise<Buffer<ArrayBuffer> | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      req.pause();
      resolve(null);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

const hasBody = (req: express.Request) =>
  req.method !== "GET" && req.method !== "HEAD" && (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0);

/**
 * The pages with a file field (a profile picture, a product picture), also as Remix's single-fetch
 * `.data` addresses: only they may send a large body, which is held in memory while checked.
 */
const FILE_ROUTES = [/^\/profile(\.data)?\/?$/, /^\/staff\/products\/[^/]+(\.data)?\/?$/];
export const takesFiles = (path: string) => FILE_ROUTES.some((route) => route.test(path));

export async function requestRefusal(req: express.Request, res: express.Response): Promise<InputRefusal | null> {
  const inUrl = urlRefusal(req.originalUrl);
  if (inUrl || !hasBody(req)) return inUrl;
  const contentType = req.headers["content-type"] ?? "";
  const kind = formKind(contentType);
  if (!kind) return { status: 415, reason: "error.415.body" };
  const limit = kind === "multipart" && takesFiles(req.path) ? UPLOAD_BODY_MAX_BYTES : FORM_BODY_MAX_BYTES;
  const tooLarge: InputRefusal = { status: 413, reason: "error.413.body", vars: { size: `${limit / 1024 / 1024} MB` } };
  if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge;
  const body = await readBody(req, limit);
  if (!body) return tooLarge;
  res.locals.body = body;
  return formRefusal(contentType, body);
}

/** A NUL in any string or key of a socket event's arguments (nested as deep as a payload goes). */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return nul(value);
  if (typeof value !== "object" || value === null || depth > 8) return false;
  return Object.entries(value).some(([key, item]) => nul(key) || holdsNul(item, depth + 1));
}
