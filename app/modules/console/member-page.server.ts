/**
 * One member's page in the staff console: who they are, what we remember,
 * the whole timeline, private notes, logged interactions, the relationship
 * stage with its history and the stage the engagement suggests. Every
 * function checks console access (manager, covering backup, admin) itself;
 * opening the page is audited.
 */
import { suspensionOf } from "../members/standing.server";
import { z } from "zod";
import type { Db, Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { recordAudit } from "../audit/audit.server";
import { newSortableId } from "../ids.server";
import { renderMarkdown } from "../markdown/render.server";
import { hitRateLimit } from "../rate-limit/rate-limit.server";
import { TOUCHPOINT_KINDS, listTimeline, recordTouchpoint } from "../timeline/touchpoints.server";
import { NOTE_EXCERPT_LENGTH } from "../timeline/note-html.server";
import { getConsents, listPreferences } from "../members/profile.server";
import { postLink } from "~/utils/forum";
import { requireConsoleAccess } from "./access.server";
import { explainEngagement } from "./engagement.server";
import { STAGES } from "./engagement";
import { kindsOfGroup, type TimelineGroup } from "./timeline-groups";

type ConsoleServices = Pick<Services, "db" | "realtime" | "clock">;

export const TIMELINE_PAGE = 25;

/** Where each touchpoint's subject lives, for a page of them, in one query per subject type. */
export async function subjectLinks(db: Db, items: { id: string; subjectType: string | null; subjectId: string | null }[]) {
  const ids = (type: string) => [...new Set(items.filter((i) => i.subjectType === type && i.subjectId).map((i) => i.subjectId!))];
  const [posts, products, reviews, comments] = await Promise.all([
    ids("forum_post").length ? db.forumPost.findMany({ where: { id: { in: ids("forum_post") } }, select: { id: true, threadId: true, position: true } }) : [],
    ids("product").length ? db.product.findMany({ where: { id: { in: ids("product") } }, select: { id: true, slug: true } }) : [],
    ids("product_review").length ? db.productReview.findMany({ where: { id: { in: ids("product_review") } }, select: { id: true, product: { select: { slug: true } } } }) : [],
    ids("idea_comment").length ? db.ideaComment.findMany({ where: { id: { in: ids("idea_comment") } }, select: { id: true, ideaId: true } }) : [],
  ]);
  const found = new Map<string, string>();
  for (const p of posts) found.set(`forum_post:${p.id}`, postLink(p.threadId, p.position));
  for (const p of products) found.set(`product:${p.id}`, `/products/${p.slug}`);
  for (const r of reviews) found.set(`product_review:${r.id}`, `/products/${r.product.slug}#review-${r.id}`);
  for (const c of comments) found.set(`idea_comment:${c.id}`, `/ideas/${c.ideaId}#comment-${c.id}`);
  const links: Record<string, string> = {};
  for (const item of items) {
    if (!item.subjectType || !item.subjectId) continue;
    const direct: Record<string, string> = {
      forum_thread: `/community/t/${item.subjectId}`,
      idea: `/ideas/${item.subjectId}`,
      conversation: `/staff/inbox/${item.subjectId}`,
      task: "/staff/tasks",
      preference: "#remember",
      interaction: "#interactions",
    };
    const link = found.get(`${item.subjectType}:${item.subjectId}`) ?? direct[item.subjectType];
    if (link) links[item.id] = link;
  }
  return links;
}

export async function timelinePage(services: ConsoleServices, actor: Actor, memberId: string, options: { group?: TimelineGroup; before?: string | null }) {
  await requireConsoleAccess(services, actor, memberId);
  return readTimelinePage(services.db, memberId, options);
}

/** A page of the timeline with links, for a caller that already checked access. */
async function readTimelinePage(db: Db, memberId: string, options: { group?: TimelineGroup; before?: string | null }) {
  const page = await listTimeline(db, memberId, { kinds: options.group ? kindsOfGroup(options.group, TOUCHPOINT_KINDS) : undefined, before: options.before, limit: TIMELINE_PAGE });
  const links = await subjectLinks(db, page.items);
  return { ...page, items: page.items.map((item) => ({ ...item, link: links[item.id] ?? null })) };
}

export async function openMemberPage(services: ConsoleServices, actor: Actor, memberId: string, meta: { ip: string; group?: TimelineGroup }) {
  const access = await requireConsoleAccess(services, actor, memberId);
  const { db } = services;
  const now = services.clock.now();
  const [member, preferences, consents, notes, stageHistory, engagement, timeline, interactions] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: memberId },
      select: {
        id: true, email: true, displayName: true, role: true, avatarKey: true, company: true, phone: true, timezone: true, locale: true,
        contactChannel: true, contactHours: true, createdAt: true, stage: true, engagementScore: true, lastActivityAt: true,
        username: true, suspendedUntil: true, suspendedReason: true,
        accountManager: { select: { id: true, displayName: true } },
        tags: { select: { tag: true }, orderBy: { tag: "asc" } },
        ownedProducts: { select: { recordedAt: true, product: { select: { slug: true, nameVi: true, nameEn: true } } }, orderBy: { recordedAt: "desc" } },
      },
    }),
    listPreferences(db, memberId),
    getConsents(db, memberId),
    db.staffNote.findMany({
      where: { memberId },
      orderBy: [{ pinned: "desc" }, { createdAt: "desc" }],
      take: 30,
      select: { id: true, bodyHtml: true, body: true, pinned: true, createdAt: true, updatedAt: true, author: { select: { id: true, displayName: true } } },
    }),
    db.stageChange.findMany({ where: { memberId }, orderBy: { createdAt: "desc" }, take: 10, select: { id: true, fromStage: true, toStage: true, reason: true, createdAt: true, actorId: true } }),
    explainEngagement(db, memberId, now),
    readTimelinePage(db, memberId, { group: meta.group }),
    db.interaction.findMany({ where: { memberId }, orderBy: { occurredAt: "desc" }, take: 5, select: { id: true, channel: true, summary: true, occurredAt: true, staffId: true } }),
  ]);
  const people = await db.user.findMany({
    where: { id: { in: [...new Set([...stageHistory.map((s) => s.actorId), ...interactions.map((i) => i.staffId)].filter((v): v is string => !!v))] } },
    select: { id: true, displayName: true },
  });
  const nameOf = Object.fromEntries(people.map((p) => [p.id, p.displayName]));
  await recordAudit(db, { actorId: actor.id, action: "member.viewed", targetMemberId: memberId, ip: meta.ip, at: now });
  const { suspendedUntil, suspendedReason, ...rest } = member;
  return {
    access,
    // The standing is shown to staff here; it is changed on the public profile, where moderators work too.
    member: { ...rest, suspension: suspensionOf({ suspendedUntil, suspendedReason }, now) },
    preferences,
    consents,
    notes: notes.map((n) => ({ ...n, mine: n.author?.id === actor.id })),
    stageHistory: stageHistory.map((s) => ({ ...s, actorName: s.actorId ? (nameOf[s.actorId] ?? null) : null })),
    engagement,
    timeline,
    interactions: interactions.map((i) => ({ ...i, staffName: i.staffId ? (nameOf[i.staffId] ?? null) : null })),
  };
}

// ---- Writes ----

/** Staff writes are limited too: a runaway script must not flood a member's history. */
const STAFF_WRITES = { max: 60, windowMs: 60_000 };

async function limited(services: ConsoleServices, actor: Actor) {
  const hit = await hitRateLimit(services.db, `console:${actor.id}`, STAFF_WRITES, services.clock.now());
  return hit.allowed ? null : { ok: false as const, formError: "crm.error.rateLimited", retryAfterSeconds: hit.retryAfterSeconds };
}

type FieldErrors = Record<string, string[] | undefined>;
const invalid = (fieldErrors: FieldErrors) => ({ ok: false as const, fieldErrors });

export const NoteSchema = z.object({
  body: z.string({ required_error: "crm.error.noteBody" }).trim().min(1, "crm.error.noteBody").max(10_000, "crm.error.noteLong"),
  pinned: z.boolean().default(false),
});

export async function addNote(services: ConsoleServices, actor: Actor, memberId: string, input: unknown) {
  await requireConsoleAccess(services, actor, memberId);
  const parsed = NoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const refused = await limited(services, actor);
  if (refused) return refused;
  const now = services.clock.now();
  const rendered = renderMarkdown(parsed.data.body, "full");
  const id = newSortableId(now);
  await services.db.$transaction(async (tx) => {
    await tx.staffNote.create({
      data: { id, memberId, authorId: actor.id, body: parsed.data.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, pinned: parsed.data.pinned, createdAt: now },
    });
    await recordTouchpoint(tx, { memberId, kind: "staff.note_added", actorId: actor.id, subject: { type: "staff_note", id }, data: { excerpt: parsed.data.body.slice(0, NOTE_EXCERPT_LENGTH) }, at: now });
    await recordAudit(tx, { actorId: actor.id, action: "member.note_added", targetMemberId: memberId, subject: { type: "staff_note", id }, at: now });
  });
  return { ok: true as const, id };
}

/** Pin or unpin: any staff member who may open the member. Edit and delete: the author, or an admin. */
export async function changeNote(
  services: ConsoleServices,
  actor: Actor,
  memberId: string,
  noteId: string,
  change: { pinned: boolean } | { body: string } | { delete: true },
) {
  await requireConsoleAccess(services, actor, memberId);
  const note = await services.db.staffNote.findFirst({ where: { id: noteId, memberId }, select: { authorId: true } });
  if (!note) return { ok: false as const, formError: "crm.error.noteGone" };
  const now = services.clock.now();
  if (!("pinned" in change) && note.authorId !== actor.id && actor.role !== "admin") return { ok: false as const, formError: "crm.error.notYourNote" };
  if ("body" in change) {
    const parsed = NoteSchema.pick({ body: true }).safeParse(change);
    if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
    const rendered = renderMarkdown(parsed.data.body, "full");
    await services.db.staffNote.update({ where: { id: noteId }, data: { body: parsed.data.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion } });
  } else if ("pinned" in change) {
    await services.db.staffNote.update({ where: { id: noteId }, data: { pinned: change.pinned } });
  } else {
    await services.db.staffNote.delete({ where: { id: noteId } });
  }
  await recordAudit(services.db, {
    actorId: actor.id,
    action: "delete" in change ? "member.note_deleted" : "member.note_changed",
    targetMemberId: memberId,
    subject: { type: "staff_note", id: noteId },
    data: { change: "pinned" in change ? (change.pinned ? "pinned" : "unpinned") : "delete" in change ? "deleted" : "edited" },
    at: now,
  });
  return { ok: true as const };
}

export const InteractionSchema = z.object({
  channel: z.enum(["call", "meeting", "email", "visit"], { errorMap: () => ({ message: "crm.error.channel" }) }),
  summary: z.string({ required_error: "crm.error.summary" }).trim().min(1, "crm.error.summary").max(4_000, "crm.error.summaryLong"),
  occurredAt: z.coerce.date({ errorMap: () => ({ message: "crm.error.when" }) }),
});

export async function logInteraction(services: ConsoleServices, actor: Actor, memberId: string, input: unknown) {
  await requireConsoleAccess(services, actor, memberId);
  const parsed = InteractionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const now = services.clock.now();
  // A future interaction is a plan, not a log: that is a task.
  if (parsed.data.occurredAt.getTime() > now.getTime() + 5 * 60_000) return invalid({ occurredAt: ["crm.error.future"] });
  const refused = await limited(services, actor);
  if (refused) return refused;
  const id = newSortableId(now);
  await services.db.$transaction(async (tx) => {
    await tx.interaction.create({ data: { id, memberId, staffId: actor.id, channel: parsed.data.channel, summary: parsed.data.summary, occurredAt: parsed.data.occurredAt, createdAt: now } });
    await recordTouchpoint(tx, {
      memberId, kind: "interaction.logged", actorId: actor.id, subject: { type: "interaction", id },
      data: { channel: parsed.data.channel, summary: parsed.data.summary.slice(0, 140) }, at: parsed.data.occurredAt,
    });
    await recordAudit(tx, { actorId: actor.id, action: "member.interaction_logged", targetMemberId: memberId, subject: { type: "interaction", id }, at: now });
  });
  return { ok: true as const, id };
}

export const StageSchema = z.object({
  stage: z.enum(STAGES, { errorMap: () => ({ message: "crm.error.stage" }) }),
  reason: z.string({ required_error: "crm.error.reason" }).trim().min(3, "crm.error.reason").max(500, "crm.error.reasonLong"),
});

export async function setStage(services: ConsoleServices, actor: Actor, memberId: string, input: unknown) {
  await requireConsoleAccess(services, actor, memberId);
  const parsed = StageSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const now = services.clock.now();
  const changed = await services.db.$transaction(async (tx) => {
    // The row lock orders concurrent changes, so the history's "from" is always the stage replaced.
    const [current] = await tx.$queryRaw<{ stage: (typeof STAGES)[number] }[]>`SELECT "stage" FROM "User" WHERE "id" = ${memberId} FOR UPDATE`;
    if (!current || current.stage === parsed.data.stage) return false;
    await tx.user.update({ where: { id: memberId }, data: { stage: parsed.data.stage } });
    await tx.stageChange.create({ data: { id: newSortableId(now), memberId, fromStage: current.stage, toStage: parsed.data.stage, reason: parsed.data.reason, actorId: actor.id, createdAt: now } });
    await recordTouchpoint(tx, { memberId, kind: "stage.changed", actorId: actor.id, data: { from: current.stage, to: parsed.data.stage, reason: parsed.data.reason.slice(0, 140) }, at: now });
    await recordAudit(tx, { actorId: actor.id, action: "member.stage_set", targetMemberId: memberId, data: { from: current.stage, to: parsed.data.stage }, at: now });
    return true;
  });
  if (!changed) return invalid({ stage: ["crm.error.sameStage"] });
  return { ok: true as const };
}

const TAG = /^[\p{Ll}\p{Nd}][\p{Ll}\p{Nd}-]{0,39}$/u;

/** Replaces the member's tags with these (lower-cased, deduplicated, at most 20). */
export async function setTags(services: ConsoleServices, actor: Actor, memberId: string, raw: string) {
  await requireConsoleAccess(services, actor, memberId);
  const tags = [...new Set(raw.split(/[,\s]+/).map((t) => t.trim().toLocaleLowerCase("vi").normalize("NFC")).filter(Boolean))];
  if (tags.length > 20) return invalid({ tags: ["crm.error.tooManyTags"] });
  if (tags.some((t) => !TAG.test(t))) return invalid({ tags: ["crm.error.tag"] });
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.memberTag.deleteMany({ where: { memberId, tag: { notIn: tags } } });
    await tx.memberTag.createMany({ data: tags.map((tag) => ({ memberId, tag })), skipDuplicates: true });
    await recordAudit(tx, { actorId: actor.id, action: "member.tags_changed", targetMemberId: memberId, data: { tags: tags.join(" ") }, at: now });
  });
  return { ok: true as const };
}

/** Which console pages an actor may open is the access rule; callers of loaders use this to turn refusals into 404s. */
export { MemberNotFound } from "./access.server";
