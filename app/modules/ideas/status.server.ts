/**
 * The status workflow, set by staff with an optional public comment:
 * Open → Under review → Planned → In progress → Done, plus Declined, and
 * Duplicate by merging. Every change is kept in the idea's history. In the
 * same transaction each follower (author, voters, commenters, anyone who
 * chose to follow) gets a touchpoint, so their account manager sees it, and
 * one outbox event fans the notices out (in the app and by email, as each
 * follower chose).
 */
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../members/access.server";
import type { IdeaStatus } from "~/generated/prisma/enums";
import { hasPermission } from "../auth/permissions";
import { recordTouchpoints } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { enqueueOutboxEvent } from "../outbox/outbox.server";
import { renderMarkdown } from "../markdown/render.server";
import { newSortableId } from "../ids.server";
import { StatusChangeSchema } from "./idea-schemas";
import { invalidIdea, type IdeaFailure } from "./ideas.server";
import { IDEA_STATUS_CHANGED } from "./notify.server";

type FollowerRole = "author" | "voter" | "commenter" | "follower";

/** Who follows the idea now, and why: the touchpoint says "an idea you voted for …". */
async function followersWithRoles(tx: Tx, idea: { id: string; authorId: string }, except: string) {
  const follows = await tx.ideaFollow.findMany({ where: { ideaId: idea.id, following: true, userId: { not: except } }, select: { userId: true } });
  if (follows.length === 0) return [];
  const ids = follows.map((f) => f.userId);
  const [voters, commenters, people] = await Promise.all([
    tx.ideaVote.findMany({ where: { ideaId: idea.id, userId: { in: ids } }, select: { userId: true } }),
    tx.ideaComment.findMany({ where: { ideaId: idea.id, authorId: { in: ids }, deletedAt: null }, select: { authorId: true }, distinct: ["authorId"] }),
    tx.user.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true } }),
  ]);
  const voted = new Set(voters.map((v) => v.userId));
  const commented = new Set(commenters.map((c) => c.authorId));
  return people.map(({ id }) => ({
    userId: id,
    role: (id === idea.authorId ? "author" : voted.has(id) ? "voter" : commented.has(id) ? "commenter" : "follower") as FollowerRole,
  }));
}

/** History row, touchpoints for every follower, the fan-out event: all inside the caller's transaction. */
async function recordStatusChange(
  tx: Tx,
  input: { idea: { id: string; title: string; authorId: string }; from: IdeaStatus; to: IdeaStatus; comment: string; actorId: string; at: Date; mergedInto?: { id: string; title: string } },
) {
  const rendered = input.comment ? renderMarkdown(input.comment) : null;
  const changeId = newSortableId(input.at);
  await tx.ideaStatusChange.create({
    data: {
      id: changeId, ideaId: input.idea.id, fromStatus: input.from, toStatus: input.to,
      commentMarkdown: input.comment || null, commentHtml: rendered?.html ?? null, changedById: input.actorId, changedAt: input.at,
    },
  });
  await tx.idea.update({ where: { id: input.idea.id }, data: { status: input.to, statusChangedAt: input.at, statusNoteHtml: rendered?.html ?? null } });
  const followers = await followersWithRoles(tx, input.idea, input.actorId);
  const link = `/ideas/${input.idea.id}`;
  await recordTouchpoints(
    tx,
    followers.map((f) => ({
      memberId: f.userId, kind: "idea.status_change_seen" as const, actorId: input.actorId, subject: { type: "idea", id: input.idea.id },
      data: { title: input.idea.title, status: input.to, role: f.role, link }, at: input.at,
    })),
  );
  await enqueueOutboxEvent(tx, IDEA_STATUS_CHANGED, { ideaId: input.idea.id, changeId, recipients: followers.map((f) => f.userId) });
  return followers.length;
}

export async function setIdeaStatus(
  services: Services,
  actor: Actor,
  ideaId: string,
  input: Record<string, unknown>,
): Promise<{ ok: true; notified: number } | IdeaFailure> {
  if (!hasPermission(actor, "idea:status:any")) return { ok: false, error: "notAllowed" };
  const parsed = StatusChangeSchema.safeParse(input);
  if (!parsed.success) return invalidIdea(parsed.error);
  const idea = await services.db.idea.findFirst({ where: { id: ideaId, deletedAt: null }, select: { id: true, title: true, authorId: true, status: true, mergedIntoId: true } });
  if (!idea) return { ok: false, error: "notFound" };
  if (idea.mergedIntoId) return { ok: false, error: "closed" };
  if (idea.status === parsed.data.status && !parsed.data.comment) return { ok: true, notified: 0 };
  const now = services.clock.now();
  const notified = await services.db.$transaction(async (tx) => {
    const count = await recordStatusChange(tx, { idea, from: idea.status, to: parsed.data.status, comment: parsed.data.comment, actorId: actor.id, at: now });
    await recordAudit(tx, { actorId: actor.id, action: "idea.status_changed", subject: { type: "idea", id: ideaId }, data: { from: idea.status, to: parsed.data.status }, at: now });
    return count;
  });
  services.outbox.kick();
  return { ok: true, notified };
}

/**
 * Merges a duplicate into the idea that survives: its voters' votes move
 * (someone who voted for both counts once, keeping their earlier vote), its
 * followers follow the survivor, the survivor's count is recounted, and the
 * duplicate keeps a link to it. Both rows are locked in id order.
 */
export async function mergeIdeas(
  services: Services,
  actor: Actor,
  input: { duplicateId: string; survivorId: string; comment?: string },
): Promise<{ ok: true; votes: number } | IdeaFailure> {
  if (!hasPermission(actor, "idea:status:any")) return { ok: false, error: "notAllowed" };
  const { duplicateId, survivorId } = input;
  if (!survivorId || duplicateId === survivorId) return { ok: false, error: "invalid", fieldErrors: { survivorId: ["idea.mergeTarget"] } };
  const [duplicate, survivor] = await Promise.all(
    [duplicateId, survivorId].map((id) => services.db.idea.findFirst({ where: { id, deletedAt: null }, select: { id: true, title: true, authorId: true, status: true, mergedIntoId: true } })),
  );
  if (!duplicate) return { ok: false, error: "notFound" };
  if (!survivor || survivor.mergedIntoId) return { ok: false, error: "invalid", fieldErrors: { survivorId: ["idea.mergeTarget"] } };
  if (duplicate.mergedIntoId) return { ok: false, error: "closed" };
  const comment = (input.comment ?? "").trim().slice(0, 5_000);
  const now = services.clock.now();
  const votes = await services.db.$transaction(async (tx) => {
    for (const id of [duplicateId, survivorId].sort()) await tx.$queryRaw`SELECT "id" FROM "Idea" WHERE "id" = ${id} FOR UPDATE`;
    // Notices go to the duplicate's followers as they are before the merge.
    await recordStatusChange(tx, { idea: duplicate, from: duplicate.status, to: "duplicate", comment, actorId: actor.id, at: now });
    await tx.$executeRaw`
      INSERT INTO "IdeaVote" ("ideaId", "userId", "createdAt")
      SELECT ${survivorId}, "userId", "createdAt" FROM "IdeaVote" WHERE "ideaId" = ${duplicateId}
      ON CONFLICT ("ideaId", "userId") DO UPDATE SET "createdAt" = LEAST("IdeaVote"."createdAt", EXCLUDED."createdAt")`;
    await tx.ideaVote.deleteMany({ where: { ideaId: duplicateId } });
    await tx.$executeRaw`
      INSERT INTO "IdeaFollow" ("ideaId", "userId", "following", "createdAt")
      SELECT ${survivorId}, "userId", "following", "createdAt" FROM "IdeaFollow" WHERE "ideaId" = ${duplicateId} AND "following"
      ON CONFLICT ("ideaId", "userId") DO NOTHING`;
    const count = await tx.ideaVote.count({ where: { ideaId: survivorId } });
    await tx.idea.update({ where: { id: survivorId }, data: { voteCount: count } });
    await tx.idea.update({ where: { id: duplicateId }, data: { voteCount: 0, mergedIntoId: survivorId } });
    await recordAudit(tx, { actorId: actor.id, action: "idea.merged", subject: { type: "idea", id: duplicateId }, data: { into: survivorId }, at: now });
    return count;
  });
  services.outbox.kick();
  return { ok: true, votes };
}
