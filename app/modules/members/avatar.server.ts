/**
 * Avatar uploads: only PNG, JPEG or WebP up to 2 MB, re-encoded by the one
 * image pipeline (storage/images.server.ts) to a 256 px square.
 */
import type { Services } from "../services.server";
import type { Actor } from "./access.server";
import { requireMemberAccess } from "./access.server";
import { setAvatarKey } from "./profile.server";
import { newImageKey, reencodeImage, storeImage, uploadUrl, type ImageFailure } from "../storage/images.server";

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;

export type AvatarResult = { ok: true; key: string } | { ok: false; error: ImageFailure | "storageUnavailable" };

export async function uploadAvatar(
  services: Services,
  actor: Actor,
  memberId: string,
  file: { bytes: Buffer } | null,
): Promise<AvatarResult> {
  await requireMemberAccess(services.db, actor, memberId);
  const image = await reencodeImage(file, { maxBytes: AVATAR_MAX_BYTES, width: AVATAR_SIZE, height: AVATAR_SIZE, fit: "cover" });
  if (!image.ok) return image;
  const key = newImageKey("avatars", memberId);
  const stored = await storeImage(services.storage, key, image.bytes);
  if (!stored.ok) return stored;
  try {
    await setAvatarKey(services, actor, memberId, key);
  } catch (error) {
    await services.storage.delete(key).catch(() => {}); // not referenced by anything: don't keep it
    throw error;
  }
  return { ok: true, key };
}

export const avatarUrl = uploadUrl;
