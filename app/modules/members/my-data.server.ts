/**
 * "My data": export everything we hold about a member, and delete the
 * account. Both are rate-limited and audited.
 */
import { dutiesOnLeaving } from "./roles.server";
import { sha256Hex } from "../auth/tokens.server";
import type { Services } from "../services.server";
import { STAFF_ONLY_TOUCHPOINT_KINDS, recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { coCreationExport } from "../products/member-export.server";
import { hitRateLimit } from "../rate-limit/rate-limit.server";
import { verifyPassword } from "../auth/password.server";
import { newSortableId } from "../ids.server";
import { forgetNameInPosts } from "../forums/mentions.server";
import { requireMemberAccess, type Actor } from "./access.server";

const EXPORT_LIMIT = { max: 5, windowMs: 60 * 60_000 };
const DELETE_LIMIT = { max: 5, windowMs: 60 * 60_000 };

export async function exportMemberData(services: Services, actor: Actor, memberId: string, meta: { ip: string }) {
  const access = await requireMemberAccess(services.db, actor, memberId);
  const now = services.clock.now();
  const limit = await hitRateLimit(services.db, `export:${actor.id}`, EXPORT_LIMIT, now);
  if (!limit.allowed) return { ok: false as const, error: "rateLimited" as const, retryAfterSeconds: limit.retryAfterSeconds };

  const db = services.db;
  const [profile, preferences, preferenceChanges, consents, touchpoints, notifications, managers, posts, reactions] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: memberId },
      select: {
        id: true, email: true, emailVerifiedAt: true, displayName: true, username: true, role: true, locale: true, bio: true,
        company: true, phone: true, timezone: true, contactChannel: true, contactHours: true, avatarKey: true,
        createdAt: true, updatedAt: true, accountManager: { select: { displayName: true } },
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

  await db.$transaction(async (tx) => {
    await recordTouchpoint(tx, { memberId, kind: "data.exported", actorId: actor.id, at: now });
    await recordAudit(tx, { actorId: actor.id, action: "member.data_exported", targetMemberId: memberId, ip: meta.ip, data: { by: access }, at: now });
  });

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
      // Chat messages join this export when chat's export lands.
      messages: [],
    },
  };
}

/**
 * Erases personal data and keeps the row as "former member", so public
 * contributions stay readable (as Discourse does).
 */
export async function deleteOwnAccount(services: Services, actor: Actor, input: { password: string }, meta: { ip: string }) {
  const now = services.clock.now();
  const limit = await hitRateLimit(services.db, `delete-account:${actor.id}`, DELETE_LIMIT, now);
  if (!limit.allowed) return { ok: false as const, error: "rateLimited" as const, retryAfterSeconds: limit.retryAfterSeconds };
  const user = await services.db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true, avatarKey: true, role: true, username: true, displayName: true } });
  if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
    return { ok: false as const, error: "wrongPassword" as const };
  }
  const memberId = actor.id;
  // An account that holds the team together stays until its duties are handed over (ADR 012).
  const duty = await dutiesOnLeaving(services.db, { id: memberId, role: user.role });
  if (duty) return { ok: false as const, error: "hasDuties" as const, duty };
  // The handle goes too; the placeholder is unique and says nothing about the person.
  const placeholder = `deleted_${sha256Hex(memberId).slice(0, 12)}`;
  await services.db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { userId: memberId } });
    await tx.emailVerificationToken.deleteMany({ where: { userId: memberId } });
    await tx.passwordResetToken.deleteMany({ where: { userId: memberId } });
    await tx.memberPreference.deleteMany({ where: { memberId } });
    await tx.memberPreferenceChange.deleteMany({ where: { memberId } });
    await tx.consentEvent.deleteMany({ where: { memberId } });
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
    await recordTouchpoint(tx, { memberId, kind: "account.deleted", actorId: null, at: now });
    await recordAudit(tx, { actorId: memberId, action: "member.account_deleted", targetMemberId: memberId, ip: meta.ip, at: now });
  });
  if (user.avatarKey) await services.storage.delete(user.avatarKey).catch(() => {});
  // Quiet: the tab that deleted the account is on its way to the goodbye page.
  await services.realtime.closeSockets(memberId, { quiet: true });
  return { ok: true as const };
}
