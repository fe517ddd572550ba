/**
 * The status workflow, set by staff with an optional public comment:
 * Open → Under review → Planned → In progress → Done, plus Declined, and
 * Duplicate by merging. Every change is kept in the idea's history. In the
 * same transaction each follower (author, voters, commenters, anyone who
 * chose to follow) gets a touchpoint, so their account manager sees it, and
 * one outbox event fans the notices out (in the app and by email, as each
 * follower chose).
 */
import { z } from "zod";
import type { Tx } from "../db-types.server";
import type { IdeaStatus } from "~/generated/prisma/enums";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { recordTouchpoints } from "../timeline/touchpoints.server";
import { enqueueOutboxEvent } from "../outbox/outbox.server";
import { renderMarkdown } from "../markdown/render.server";
import { newSortableId } from "../ids.server";
import { StatusChangeSchema } from "./idea-schemas";
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

const IDEA_FACTS = { id: true, title: true, authorId: true, status: true, mergedIntoId: true } as const;

export const setIdeaStatus = defineCommand({
  name: "idea.set_status",
  ref: z.object({ ideaId: z.string().min(1).max(64) }),
  load: (services, { ideaId }) => services.db.idea.findFirst({ where: { id: ideaId, deletedAt: null }, select: IDEA_FACTS }),
  policy: (actor, idea) => can(actor, "idea.setStatus") && (idea.mergedIntoId ? fail.because("closed") : true),
  input: StatusChangeSchema,
  async run({ tx, now, actor, audit }, { ideaId, status, comment }, idea) {
    if (idea.status === status && !comment) return { ok: true, notified: 0 };
    const notified = await recordStatusChange(tx, { idea, from: idea.status, to: status, comment, actorId: actor.id, at: now });
    await audit({ action: "idea.status_changed", subject: { type: "idea", id: ideaId }, data: { from: idea.status, to: status } });
    return { ok: true, notified };
  },
});

const mergeTarget = () => fail.field("survivorId", "idea.mergeTarget");

/**
 * Merges a duplicate into the idea that survives: its voters' votes move
 * (someone who voted for both counts once, keeping their earlier vote), its
 * followers follow the survivor, the survivor's count is recounted, and the
 * duplicate keeps a link to it. Both rows are locked in id order.
 */
export const mergeIdeas = defineCommand({
  name: "idea.merge",
  ref: z.object({ duplicateId: z.string().min(1).max(64), survivorId: z.string().trim().max(64).default("") }),
  async load(services, { duplicateId, survivorId }) {
    const find = (id: string) => services.db.idea.findFirst({ where: { id, deletedAt: null }, select: IDEA_FACTS });
    const duplicate = await find(duplicateId);
    if (!duplicate) return null;
    const survivor = survivorId && survivorId !== duplicateId ? await find(survivorId) : null;
    return { duplicate, survivor };
  },
  policy(actor, { duplicate, survivor }) {
    if (!can(actor, "idea.merge")) return false;
    if (!survivor || survivor.mergedIntoId) return mergeTarget();
    return duplicate.mergedIntoId ? fail.because("closed") : true;
  },
  input: z.object({ comment: z.string().trim().max(5_000, "idea.commentTooLong").default("") }),
  async run({ tx, now, actor, audit }, { duplicateId, survivorId, comment }, { duplicate }) {
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
    const votes = await tx.ideaVote.count({ where: { ideaId: survivorId } });
    await tx.idea.update({ where: { id: survivorId }, data: { voteCount: votes } });
    await tx.idea.update({ where: { id: duplicateId }, data: { voteCount: 0, mergedIntoId: survivorId } });
    await audit({ action: "idea.merged", subject: { type: "idea", id: duplicateId }, data: { into: survivorId } });
    return { ok: true, votes };
  },
});
