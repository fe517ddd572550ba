/**
 * One member's page in the staff console: who they are, what we remember,
 * the whole timeline, private notes, logged interactions, the relationship
 * stage with its history and the stage the engagement suggests, for reading.
 * Every function checks console access (the member-scope rule) itself;
 * opening the page is audited. The writes are ./record-commands.server.ts.
 */
import { suspensionOf } from "../members/standing.server";
import type { Db, Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { recordAudit } from "../audit/audit.server";
import { TOUCHPOINT_KINDS, listTimeline } from "../timeline/touchpoints.server";
import { getConsents, listPreferences } from "../members/profile.server";
import { postLink } from "../forums/links";
import { requireConsoleAccess } from "./access.server";
import { explainEngagement } from "./engagement.server";
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
        contactWindow: { select: { weekdays: true, fromMinute: true, toMinute: true, source: true, updatedAt: true } },
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

/** Which console pages an actor may open is the access rule; callers of loaders use this to turn refusals into 404s. */
export { MemberNotFound } from "./access.server";
