import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import type { MessageKey } from "~/i18n/en";
import type { ImageFailure } from "~/modules/storage/images.server";

/**
 * A multipart form with one file field, kept in memory up to maxBytes. A
 * larger file is "tooLarge" (the parser stops reading); no file is null.
 */
export async function readUploadForm(request: Request, field: string, maxBytes: number) {
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }));
    const file = form.get(field);
    return { form, file: file instanceof File && file.size > 0 ? { bytes: Buffer.from(await file.arrayBuffer()) } : null };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return "tooLarge" as const;
    throw error;
  }
}

export const isMultipart = (request: Request) => request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;

/** Whether a refusal is about the picture itself (or where it is kept), which the form shows beside the field. */
export const isImageRefusal = (error: string): error is ImageFailure | "storageUnavailable" => ["tooLarge", "wrongType", "missing", "storageUnavailable"].includes(error);

/** The message beside the file field and the status for a refused picture; each form names its own words. */
export function refusedImage(
  error: ImageFailure | "storageUnavailable",
  words: Record<ImageFailure, MessageKey>,
): { message: MessageKey; status: number } {
  if (error === "storageUnavailable") return { message: "upload.storageUnavailable", status: 507 };
  return { message: words[error], status: error === "tooLarge" ? 413 : error === "missing" ? 400 : 415 };
}
