/**
 * Avatar uploads: only PNG, JPEG or WebP up to 2 MB, decoded and re-encoded
 * by sharp (libvips), so what we store and serve is an image we made.
 */
import sharp from "sharp";
import { randomBytes } from "node:crypto";
import type { Services } from "../services.server";
import type { Actor } from "./access.server";
import { requireMemberAccess } from "./access.server";
import { setAvatarKey } from "./profile.server";

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const ACCEPTED_FORMATS = new Set(["png", "jpeg", "webp"]);
export const AVATAR_SIZE = 256;

export type AvatarResult = { ok: true; key: string } | { ok: false; error: "tooLarge" | "wrongType" | "missing" };

export async function uploadAvatar(
  services: Services,
  actor: Actor,
  memberId: string,
  file: { bytes: Buffer } | null,
): Promise<AvatarResult> {
  await requireMemberAccess(services.db, actor, memberId);
  if (!file || file.bytes.length === 0) return { ok: false, error: "missing" };
  if (file.bytes.length > AVATAR_MAX_BYTES) return { ok: false, error: "tooLarge" };
  // Trust the bytes, not the file name or the declared type.
  let format: string | undefined;
  try {
    format = (await sharp(file.bytes, { limitInputPixels: 40_000_000 }).metadata()).format;
  } catch {
    return { ok: false, error: "wrongType" };
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, error: "wrongType" };
  let output: Buffer;
  try {
    output = await sharp(file.bytes, { limitInputPixels: 40_000_000 })
      .rotate() // honour EXIF orientation, then drop all metadata
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    return { ok: false, error: "wrongType" };
  }
  const key = `avatars/${memberId.toLowerCase().replace(/[^a-z0-9]/g, "")}-${randomBytes(6).toString("hex")}.webp`;
  await services.storage.put(key, output, "image/webp");
  await setAvatarKey(services, actor, memberId, key);
  return { ok: true, key };
}

export function avatarUrl(key: string | null | undefined) {
  return key ? `/uploads/${key}` : null;
}
