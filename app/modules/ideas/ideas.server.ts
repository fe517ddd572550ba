/**
 * Reading ideas: the list (trending, top, new), an idea's page, similar
 * ideas while typing, a product's top ideas and the roadmap. What members
 * and staff do to ideas is in idea-commands.server.ts and status.server.ts.
 * Trending is computed by one grouped query where every vote's weight halves
 * each week (docs/decisions/008).
 */
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import { uploadUrl } from "../storage/images.server";
import { ROADMAP_STATUSES, VOTABLE_STATUSES, searchableText, type IdeaSort, type IdeaStatusName } from "./idea-schemas";

/** Trending: a vote's weight halves every TRENDING_HALF_LIFE_DAYS; votes older than the window count nothing. */
export const TRENDING_HALF_LIFE_DAYS = 7;
export const TRENDING_WINDOW_DAYS = 90;
export const IDEAS_PER_PAGE = 20;

/** The idea's own markdown and product, for its edit form. */
export async function ideaSource(db: Db, ideaId: string) {
  return db.idea.findFirst({ where: { id: ideaId, deletedAt: null }, select: { title: true, bodyMarkdown: true, productId: true } });
}

const STOP_WORDS = new Set([
  "the", "and", "for", "with", "please", "can", "could", "would", "should", "add", "allow", "option", "make", "have", "more", "when", "that", "this",
  "cho", "cua", "khong", "duoc", "them", "mot", "nhung", "cac", "trong", "voi", "khi", "nay", "nen", "hay", "muon", "phep", "co",
]);

/**
 * Ideas whose titles share words with what is being typed, best first: so a
 * member can vote instead of writing the same idea twice. Diacritics and case
 * do not matter ("che do toi" finds "Chế độ tối").
 */
export async function similarIdeas(db: Db, text: string, options: { excludeId?: string; limit?: number } = {}) {
  const words = [...new Set(searchableText(text.slice(0, 200)).split(" "))].filter((w) => w.length >= 3 && !STOP_WORDS.has(w)).slice(0, 8);
  if (words.length === 0) return [];
  const candidates = await db.idea.findMany({
    where: {
      deletedAt: null,
      mergedIntoId: null,
      ...(options.excludeId ? { id: { not: options.excludeId } } : {}),
      OR: words.map((w) => ({ titleSearch: { contains: w } })),
    },
    orderBy: { voteCount: "desc" },
    take: 100,
    select: { id: true, title: true, status: true, voteCount: true, titleSearch: true },
  });
  return candidates
    .map(({ titleSearch, ...idea }) => {
      const titleWords = titleSearch.split(" ");
      // A word counts in full when a title word starts with it, half when it only appears inside one.
      const score = words.reduce((sum, w) => sum + (titleWords.some((t) => t.startsWith(w)) ? 1 : titleSearch.includes(w) ? 0.5 : 0), 0) / words.length;
      return { ...idea, score };
    })
    .filter((idea) => idea.score >= 0.34)
    .sort((a, b) => b.score - a.score || b.voteCount - a.voteCount)
    .slice(0, options.limit ?? 5);
}

const LIST_SELECT = {
  id: true, title: true, status: true, voteCount: true, commentCount: true, createdAt: true, statusChangedAt: true,
  author: { select: { id: true, displayName: true, username: true, deletedAt: true } },
  product: { select: { slug: true, nameVi: true, nameEn: true } },
} satisfies Prisma.IdeaSelect;

export interface IdeaListOptions {
  sort?: IdeaSort;
  status?: string;
  productSlug?: string | null;
  /** "mine": ideas the viewer suggested; "voted": ideas the viewer voted for. */
  scope?: "all" | "mine" | "voted";
  page?: number;
  viewerId?: string | null;
}

function statusesFor(filter: string | undefined): IdeaStatusName[] | null {
  if (!filter || filter === "active") return [...VOTABLE_STATUSES];
  if (filter === "all") return null;
  return [filter as IdeaStatusName];
}

/**
 * The ideas list: filters in the where clause, one query for the page (for
 * trending, one grouped query over recent votes picks the page's ids), one
 * for the viewer's votes. Merged duplicates are left out: their votes live on
 * the survivor.
 */
export async function listIdeas(db: Db, now: Date, options: IdeaListOptions = {}) {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const statuses = statusesFor(options.status);
  const viewerId = options.viewerId ?? null;
  const where: Prisma.IdeaWhereInput = {
    deletedAt: null,
    mergedIntoId: null,
    ...(statuses ? { status: { in: statuses } } : {}),
    ...(options.productSlug ? { product: { slug: options.productSlug } } : {}),
    ...(options.scope === "mine" && viewerId ? { authorId: viewerId } : {}),
    ...(options.scope === "voted" && viewerId ? { votes: { some: { userId: viewerId } } } : {}),
  };
  const total = await db.idea.count({ where });
  let rows: Prisma.IdeaGetPayload<{ select: typeof LIST_SELECT }>[];
  if ((options.sort ?? "trending") === "trending") {
    const ids = await trendingIds(db, now, options, statuses, page);
    const found = await db.idea.findMany({ where: { id: { in: ids } }, select: LIST_SELECT });
    rows = ids.flatMap((id) => found.filter((r) => r.id === id));
  } else {
    rows = await db.idea.findMany({
      where,
      orderBy: options.sort === "new" ? [{ createdAt: "desc" }, { id: "desc" }] : [{ voteCount: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * IDEAS_PER_PAGE,
      take: IDEAS_PER_PAGE,
      select: LIST_SELECT,
    });
  }
  const voted = viewerId && rows.length
    ? new Set((await db.ideaVote.findMany({ where: { userId: viewerId, ideaId: { in: rows.map((r) => r.id) } }, select: { ideaId: true } })).map((v) => v.ideaId))
    : new Set<string>();
  return { items: rows.map((r) => ({ ...r, voted: voted.has(r.id) })), page, pages: Math.max(1, Math.ceil(total / IDEAS_PER_PAGE)), total };
}

/**
 * One grouped query: each recent vote weighs 0.5^(age / half-life); ties go
 * to the newer idea. The filters are the list's own, written in SQL.
 */
async function trendingIds(db: Db, now: Date, options: IdeaListOptions, statuses: IdeaStatusName[] | null, page: number) {
  const since = new Date(now.getTime() - TRENDING_WINDOW_DAYS * 24 * 60 * 60_000);
  const halfLifeSeconds = TRENDING_HALF_LIFE_DAYS * 24 * 60 * 60;
  const viewerId = options.viewerId ?? null;
  const filters: Prisma.Sql[] = [Prisma.sql`i."deletedAt" IS NULL`, Prisma.sql`i."mergedIntoId" IS NULL`];
  if (statuses) filters.push(Prisma.sql`i."status"::text IN (${Prisma.join(statuses)})`);
  if (options.productSlug) filters.push(Prisma.sql`i."productId" = (SELECT "id" FROM "Product" WHERE "slug" = ${options.productSlug})`);
  if (options.scope === "mine" && viewerId) filters.push(Prisma.sql`i."authorId" = ${viewerId}`);
  if (options.scope === "voted" && viewerId) filters.push(Prisma.sql`EXISTS (SELECT 1 FROM "IdeaVote" mv WHERE mv."ideaId" = i."id" AND mv."userId" = ${viewerId})`);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT i."id"
    FROM "Idea" i
    LEFT JOIN "IdeaVote" v ON v."ideaId" = i."id" AND v."createdAt" > ${since}
    WHERE ${Prisma.join(filters, " AND ")}
    GROUP BY i."id", i."createdAt"
    ORDER BY COALESCE(SUM(power(0.5, EXTRACT(EPOCH FROM (${now}::timestamp - v."createdAt")) / ${halfLifeSeconds})), 0) DESC, i."createdAt" DESC, i."id" DESC
    LIMIT ${IDEAS_PER_PAGE} OFFSET ${(page - 1) * IDEAS_PER_PAGE}`;
  return rows.map((r) => r.id);
}

/** An idea's page: the idea, its status history, comments, what merged into it, and the viewer's vote and follow. */
export async function getIdea(db: Db, ideaId: string, viewerId: string | null) {
  const idea = await db.idea.findFirst({
    where: { id: ideaId, deletedAt: null },
    select: {
      ...LIST_SELECT,
      bodyHtml: true, editedAt: true, statusNoteHtml: true,
      author: { select: { id: true, displayName: true, username: true, avatarKey: true, deletedAt: true } },
      product: { select: { id: true, slug: true, nameVi: true, nameEn: true } },
      mergedInto: { select: { id: true, title: true, status: true } },
      duplicates: { where: { deletedAt: null }, select: { id: true, title: true }, orderBy: { createdAt: "asc" } },
      statusChanges: { orderBy: { changedAt: "asc" }, select: { id: true, fromStatus: true, toStatus: true, commentHtml: true, changedById: true, changedAt: true } },
      comments: {
        orderBy: { createdAt: "asc" },
        take: 500,
        select: {
          id: true, bodyHtml: true, createdAt: true, editedAt: true, deletedAt: true,
          author: { select: { id: true, displayName: true, username: true, avatarKey: true, role: true, deletedAt: true } },
        },
      },
    },
  });
  if (!idea) return null;
  const changerIds = [...new Set(idea.statusChanges.map((c) => c.changedById).filter((v): v is string => !!v))];
  const [changers, vote, follow] = await Promise.all([
    changerIds.length ? db.user.findMany({ where: { id: { in: changerIds } }, select: { id: true, displayName: true } }) : Promise.resolve([]),
    viewerId ? db.ideaVote.findUnique({ where: { ideaId_userId: { ideaId, userId: viewerId } }, select: { createdAt: true } }) : Promise.resolve(null),
    viewerId ? db.ideaFollow.findUnique({ where: { ideaId_userId: { ideaId, userId: viewerId } }, select: { following: true } }) : Promise.resolve(null),
  ]);
  const names = new Map(changers.map((c) => [c.id, c.displayName]));
  return {
    ...idea,
    author: { ...idea.author, avatar: uploadUrl(idea.author.avatarKey) },
    statusChanges: idea.statusChanges.map((c) => ({ ...c, changedBy: c.changedById ? (names.get(c.changedById) ?? null) : null })),
    comments: idea.comments.map((c) => ({ ...c, bodyHtml: c.deletedAt ? "" : c.bodyHtml, author: { ...c.author, avatar: uploadUrl(c.author.avatarKey) } })),
    voted: !!vote,
    following: follow?.following ?? false,
  };
}

/** The markdown of the viewer's own comment, for its edit form. */
export async function commentSource(db: Db, commentId: string, authorId: string) {
  return (await db.ideaComment.findFirst({ where: { id: commentId, authorId, deletedAt: null }, select: { bodyMarkdown: true } }))?.bodyMarkdown ?? null;
}

/** A product's most voted live ideas, for its page. */
export async function topIdeasFor(db: Db, productId: string, limit = 5) {
  return db.idea.findMany({
    where: { productId, deletedAt: null, mergedIntoId: null, status: { notIn: ["declined", "duplicate"] } },
    orderBy: [{ voteCount: "desc" }, { createdAt: "desc" }],
    take: limit,
    select: { id: true, title: true, status: true, voteCount: true },
  });
}

/** The public roadmap: Planned, In progress and Done, most voted first (Done: most recently finished). */
export async function roadmap(db: Db) {
  const rows = await db.idea.findMany({
    where: { deletedAt: null, mergedIntoId: null, status: { in: [...ROADMAP_STATUSES] } },
    orderBy: [{ voteCount: "desc" }, { createdAt: "desc" }],
    take: 300,
    select: { ...LIST_SELECT, statusNoteHtml: true },
  });
  const column = (status: IdeaStatusName) => rows.filter((r) => r.status === status);
  const done = column("done")
    .sort((a, b) => (b.statusChangedAt?.getTime() ?? 0) - (a.statusChangedAt?.getTime() ?? 0))
    .slice(0, 30);
  return { planned: column("planned"), in_progress: column("in_progress"), done };
}
