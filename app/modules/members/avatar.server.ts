/**
 * Avatar uploads: only PNG, JPEG or WebP up to 2 MB, re-encoded by the one
 * image pipeline (storage/images.server.ts) to a 256 px square. The file is
 * stored first, then the setAvatarKey command points the profile at it.
 */
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { fail, type Failure } from "../commands/failure";
import { can } from "../policy/can";
import { memberInScope } from "./member-ref.server";
import { setAvatarKey } from "./profile.server";
import { newImageKey, reencodeImage, storeImage, uploadUrl } from "../storage/images.server";

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;

export type AvatarResult = { ok: true; key: string } | Failure;

export async function uploadAvatar(services: Services, actor: Actor, input: { memberId: string; file: { bytes: Buffer } | null }): Promise<AvatarResult> {
  const { memberId } = input;
  // Asked before the work of re-encoding; setAvatarKey asks again, in its own steps.
  const member = await memberInScope(services, { memberId }, actor);
  if (!member || !can(actor, "member.edit", member)) return fail.notFound();
  const image = await reencodeImage(input.file, { maxBytes: AVATAR_MAX_BYTES, width: AVATAR_SIZE, height: AVATAR_SIZE, fit: "cover" });
  if (!image.ok) return fail.because(image.error);
  const key = newImageKey("avatars", memberId);
  const { storage } = services; // files, not the database: the write path's rule is about Prisma
  const stored = await storeImage(storage, key, image.bytes);
  if (!stored.ok) return fail.because(stored.error);
  let saved: Awaited<ReturnType<typeof setAvatarKey>> | null = null;
  try {
    saved = await setAvatarKey(services, actor, { memberId, avatarKey: key });
    return saved.ok ? { ok: true, key } : saved;
  } finally {
    if (!saved?.ok) await storage.delete(key).catch(() => {}); // not referenced by anything: don't keep it
  }
}

export const avatarUrl = uploadUrl;
