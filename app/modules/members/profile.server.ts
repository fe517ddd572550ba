/**
 * Self-service profile and photo. "What we remember about you" lives in
 * ./preferences.server.ts, consent in ./consent.server.ts and the account
 * manager in ./account-manager.server.ts. Every write is a command
 * (docs/decisions/017): its touchpoint is in the same transaction.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { onMemberData } from "./member-ref.server";
import { ProfileSchema } from "./profile-schema";
import { isUsernameTaken } from "./usernames.server";
import { imageKeyPrefix } from "../storage/images.server";

// The console reads these from here (app/modules/console/member-page.server.ts).
export { listPreferences } from "./preferences.server";
export { getConsents } from "./consent.server";

const PROFILE_FIELDS = ["displayName", "username", "bio", "company", "phone", "timezone", "locale", "contactChannel", "contactHours"] as const;

export async function getProfile(db: Db, memberId: string) {
  return db.user.findUniqueOrThrow({
    where: { id: memberId },
    select: {
      id: true,
      email: true,
      displayName: true,
      username: true,
      role: true,
      avatarKey: true,
      bio: true,
      company: true,
      phone: true,
      timezone: true,
      locale: true,
      contactChannel: true,
      contactHours: true,
      createdAt: true,
      emailVerifiedAt: true,
      accountManager: { select: { id: true, displayName: true, avatarKey: true } },
    },
  });
}

const usernameTaken = () => fail.because("usernameTaken");

export const updateProfile = defineCommand({
  name: "member.update_profile",
  ...onMemberData,
  input: ProfileSchema,
  async run({ tx, actor, touchpoint, audit }, { memberId, ...fields }, member) {
    if (fields.username && (await isUsernameTaken(tx, fields.username, memberId))) return usernameTaken();
    const before = await tx.user.findUniqueOrThrow({ where: { id: memberId }, select: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, true])) as Record<(typeof PROFILE_FIELDS)[number], true> });
    const changed = PROFILE_FIELDS.filter((f) => fields[f] !== undefined && (before as Record<string, unknown>)[f] !== fields[f]);
    if (changed.length === 0) return { ok: true };
    await tx.user.update({ where: { id: memberId }, data: fields });
    await touchpoint({ memberId, kind: "profile.updated", actorId: actor.id, data: { fields: changed.join(",") } });
    if (member.relation !== "self") await audit({ action: "member.profile_updated", targetMemberId: memberId, data: { fields: changed.join(",") } });
    return { ok: true };
  },
  // Someone took the username a moment ago.
  conflict: usernameTaken,
});

/**
 * The photo's storage key: a new one from ./avatar.server.ts (which stored the file under the
 * member's own name), or null to remove it. The old file goes once the change committed.
 */
export const setAvatarKey = defineCommand({
  name: "member.set_avatar",
  ...onMemberData,
  input: z.object({ avatarKey: z.string().regex(/^avatars\/[a-z0-9]{0,40}-[0-9a-f]{12}\.webp$/).nullable() }),
  async run({ tx, actor, touchpoint, afterCommit }, { memberId, avatarKey }) {
    // Only a file stored under this member's name: the old one is deleted when it changes.
    if (avatarKey && !avatarKey.startsWith(imageKeyPrefix("avatars", memberId))) return fail.field("avatarKey", "failure.invalid");
    const before = await tx.user.findUniqueOrThrow({ where: { id: memberId }, select: { avatarKey: true } });
    await tx.user.update({ where: { id: memberId }, data: { avatarKey } });
    await touchpoint({ memberId, kind: "profile.avatar_changed", actorId: actor.id, data: { removed: avatarKey === null } });
    const previous = before.avatarKey;
    if (previous && previous !== avatarKey) afterCommit((services) => services.storage.delete(previous).catch(() => {}));
    return { ok: true };
  },
});
