/**
 * "My data": export everything we hold about a member, and delete the
 * account. Both are rate-limited and audited.
 */
import { z } from "zod";
import { dutiesOnLeaving } from "./roles.server";
import { sha256Hex } from "../tokens.server";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand, type CommandOrigin } from "../commands/command.server";
import { fail } from "../commands/failure";
import { STAFF_ONLY_TOUCHPOINT_KINDS } from "../timeline/touchpoints.server";
import { coCreationExport } from "../products/member-export.server";
import { verifyPassword } from "../passwords.server";
import { newSortableId } from "../ids.server";
import { forgetNameInPosts } from "../forums/mentions.server";
import { onMemberData } from "./member-ref.server";

const EXPORT_LIMIT = { max: 5, windowMs: 60 * 60_000 };
const DELETE_LIMIT = { max: 5, windowMs: 60 * 60_000 };

/**
 * The export's write: its touchpoint and audit row, behind the rate limit. It is recorded before
 * the data is read, so no export ever leaves without its audit row (a failed read leaves a row
 * for an export nobody received, the safe side).
 */
export const recordDataExport = defineCommand({
  name: "member.export_data",
  ...onMemberData,
  limit: (actor) => ({ key: `export:${actor.id}`, limit: EXPORT_LIMIT }),
  async run({ actor, now, touchpoint, audit }, { memberId }, member) {
    await touchpoint({ memberId, kind: "data.exported", actorId: actor.id });
    await audit({ action: "member.data_exported", targetMemberId: memberId, data: { by: member.relation } });
    return { ok: true, at: now };
  },
});

export async function exportMemberData(services: Services, actor: Actor, input: { memberId: string }, origin: CommandOrigin = {}) {
  const recorded = await recordDataExport(services, actor, input, origin);
  if (!recorded.ok) return recorded;
  const { memberId } = input;
  const now = recorded.at;
  const db = services.db;
  const [profile, preferences, preferenceChanges, consents, touchpoints, notifications, managers, posts, reactions] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: memberId },
      select: {
        id: true, email: true, emailVerifiedAt: true, displayName: true, username: true, role: true, locale: true, bio: true,
        company: true, phone: true, timezone: true, contactChannel: true, contactHours: true, avatarKey: true,
        createdAt: true, updatedAt: true, accountManager: { select: { displayName: true } },
        contactWindow: { select: { weekdays: true, fromMinute: true, toMinute: true, source: true, updatedAt: true } },
      },
    }),
    db.memberPreference.findMany({ where: { memberId }, select: { key: true, value: true, source: true, createdAt: true, updatedAt: true } }),
    db.memberPreferenceChange.findMany({ where: { memberId }, orderBy: { changedAt: "asc" }, select: { key: true, action: true, oldValue: true, newValue: true, source: true, changedAt: true } }),
    db.consentEvent.findMany({ where: { memberId }, orderBy: { recordedAt: "asc" }, select: { channel: true, granted: true, source: true, recordedAt: true } }),
    // Staff-only touchpoints (notes, follow-ups, stages) stay internal, as the console promises.
    db.touchpoint.findMany({ where: { memberId, kind: { notIn: [...STAFF_ONLY_TOUCHPOINT_KINDS] } }, orderBy: { occurredAt: "asc" }, select: { kind: true, subjectType: true, subjectId: true, data: true, occurredAt: true } }),
    db.notification.findMany({ where: { userId: memberId }, orderBy: { createdAt: "asc" }, select: { kind: true, data: true, link: true, readAt: true, createdAt: true } }),
    db.accountManagerAssignment.findMany({ where: { memberId }, orderBy: { startedAt: "asc" }, select: { managerId: true, startedAt: true, endedAt: true } }),
    db.forumPost.findMany({
      where: { authorId: memberId },
      orderBy: { createdAt: "asc" },
      select: { threadId: true, position: true, bodyMarkdown: true, createdAt: true, editedAt: true, deletedAt: true, thread: { select: { title: true } } },
    }),
    db.forumReaction.findMany({ where: { userId: memberId }, select: { postId: true, kind: true, createdAt: true } }),
  ]);

  return {
    ok: true as const,
    filename: `rapport-data-${now.toISOString().slice(0, 10)}.json`,
    data: {
      exportedAt: now.toISOString(),
      format: "rapport-member-export/1",
      profile,
      preferences,
      preferenceChanges,
      consents,
      touchpoints,
      notifications,
      accountManagers: managers,
      posts: posts.map(({ thread, ...post }) => ({ ...post, threadTitle: thread.title })),
      reactions,
      // Products owned, reviews, ideas, votes and comments (docs/decisions/008).
      ...(await coCreationExport(db, memberId)),
      // Offers given to them (issue 18), with the code and when it was seen and used.
      offers: await db.offerGrant.findMany({
        where: { memberId },
        orderBy: { issuedAt: "asc" },
        select: { code: true, issuedAt: true, seenAt: true, redeemedAt: true, offer: { select: { titleVi: true, titleEn: true, kind: true, sharedCode: true, validFrom: true, validUntil: true } } },
      }),
      // Chat messages join this export when chat's export lands.
      messages: [],
    },
  };
}

/**
 * Erases personal data and keeps the row as "former member", so public
 * contributions stay readable (as Discourse does).
 */
export const deleteOwnAccount = defineCommand({
  name: "member.delete_own_account",
  who: (actor) => can(actor, "member.leave"),
  input: z.object({ password: z.string().max(1_000).default("") }),
  // Counted before the password is checked: guessing it costs attempts.
  limit: (actor) => ({ key: `delete-account:${actor.id}`, limit: DELETE_LIMIT }),
  async run({ tx, now, actor, touchpoint, audit, afterCommit }, { password }) {
    const memberId = actor.id;
    const user = await tx.user.findUnique({ where: { id: memberId }, select: { passwordHash: true, avatarKey: true, role: true, username: true, displayName: true } });
    if (!user || !(await verifyPassword(user.passwordHash, password))) return fail.because("wrongPassword");
    // An account that holds the team together stays until its duties are handed over (ADR 012).
    const duty = await dutiesOnLeaving(tx, { id: memberId, role: user.role });
    if (duty) return fail.because("hasDuties", { key: `profile.deleteBlocked.${duty.error}`, vars: { count: duty.count } });
    // The handle goes too; the placeholder is unique and says nothing about the person.
    const placeholder = `deleted_${sha256Hex(memberId).slice(0, 12)}`;
    await tx.session.deleteMany({ where: { userId: memberId } });
    await tx.emailVerificationToken.deleteMany({ where: { userId: memberId } });
    await tx.passwordResetToken.deleteMany({ where: { userId: memberId } });
    await tx.memberPreference.deleteMany({ where: { memberId } });
    await tx.memberPreferenceChange.deleteMany({ where: { memberId } });
    await tx.memberContactHours.deleteMany({ where: { memberId } });
    await tx.consentEvent.deleteMany({ where: { memberId } });
    await tx.memberConsent.deleteMany({ where: { memberId } });
    await tx.notification.deleteMany({ where: { userId: memberId } });
    await tx.notificationSetting.deleteMany({ where: { userId: memberId } });
    await tx.touchpoint.deleteMany({ where: { memberId } });
    await tx.user.update({
      where: { id: memberId },
      data: {
        email: `deleted-${newSortableId(now)}@deleted.invalid`,
        displayName: "",
        username: placeholder,
        passwordHash: null,
        emailVerifiedAt: null,
        bio: null,
        company: null,
        phone: null,
        contactHours: null,
        avatarKey: null,
        deletedAt: now,
      },
    });
    // Others' posts that mention or quote them say "Former member" from now on (ADR 013).
    await forgetNameInPosts(tx, { id: memberId, username: user.username, displayName: user.displayName, placeholder });
    await touchpoint({ memberId, kind: "account.deleted", actorId: null });
    await audit({ action: "member.account_deleted", targetMemberId: memberId });
    const avatarKey = user.avatarKey;
    if (avatarKey) afterCommit((services) => services.storage.delete(avatarKey).catch(() => {}));
    // Quiet: the tab that deleted the account is on its way to the goodbye page.
    afterCommit((services) => services.realtime.closeSockets(memberId, { quiet: true }));
    return { ok: true };
  },
});
