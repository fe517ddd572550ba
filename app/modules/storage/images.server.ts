/**
 * Uploaded images (avatars, product pictures): only PNG, JPEG or WebP, decoded
 * and re-encoded by sharp (libvips), so what we store and serve is an image we made.
 */
import sharp from "sharp";
import { randomBytes } from "node:crypto";
import type { FileStorage } from "../services.server";

const ACCEPTED_FORMATS = new Set(["png", "jpeg", "webp"]);
const PIXEL_LIMIT = 40_000_000;

export type ImageFailure = "tooLarge" | "wrongType" | "missing";

// Disk full, over quota, read-only, not ours to write or gone: the operator's to fix, the
// uploader's to be told. (A recursive mkdir on a read-only disk reports ENOENT.)
const STORAGE_UNAVAILABLE = new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "ENOENT"]);

/**
 * Stores a made image under its key; when the storage cannot take it, says so as a result
 * (the caller answers with a clear message and changes nothing) instead of a 500.
 */
export async function storeImage(
  storage: FileStorage,
  key: string,
  bytes: Buffer,
): Promise<{ ok: true } | { ok: false; error: "storageUnavailable" }> {
  try {
    await storage.put(key, bytes, "image/webp");
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && STORAGE_UNAVAILABLE.has(code)) return { ok: false, error: "storageUnavailable" };
    throw error;
  }
}

export async function reencodeImage(
  file: { bytes: Buffer } | null,
  options: { maxBytes: number; width: number; height: number; fit: "cover" | "inside" },
): Promise<{ ok: true; bytes: Buffer } | { ok: false; error: ImageFailure }> {
  if (!file || file.bytes.length === 0) return { ok: false, error: "missing" };
  if (file.bytes.length > options.maxBytes) return { ok: false, error: "tooLarge" };
  try {
    // Trust the bytes, not the file name or the declared type.
    const { format } = await sharp(file.bytes, { limitInputPixels: PIXEL_LIMIT }).metadata();
    if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, error: "wrongType" };
    const bytes = await sharp(file.bytes, { limitInputPixels: PIXEL_LIMIT })
      .rotate() // honour EXIF orientation, then drop all metadata
      .resize(options.width, options.height, { fit: options.fit, withoutEnlargement: options.fit === "inside" })
      .webp({ quality: 82 })
      .toBuffer();
    return { ok: true, bytes };
  } catch {
    return { ok: false, error: "wrongType" };
  }
}

/** A fresh storage key under a folder: random, so served files can be cached forever. */
export function newImageKey(folder: string, stem: string) {
  return `${imageKeyPrefix(folder, stem)}${randomBytes(6).toString("hex")}.webp`;
}

/** What every key newImageKey makes for this folder and stem starts with: whose file it is. */
export function imageKeyPrefix(folder: string, stem: string) {
  return `${folder}/${stem.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 40)}-`;
}

export function uploadUrl(key: string | null | undefined) {
  return key ? `/uploads/${key}` : null;
}
