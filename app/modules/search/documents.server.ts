/**
 * What each searchable row becomes in the index, and what stays out:
 * hidden or deleted posts, deleted threads, removed or merged ideas, hidden
 * reviews and deleted accounts produce no document (and are removed).
 */
import type { Db } from "../services.server";
import type { SearchDocument, SearchKind } from "./engine";
import { htmlToText } from "./text";
import { postLink } from "../forums/links";
import { isCommunityRole } from "../policy/permissions";

/** Rows of a kind, in id order: `seen` are all visited ids, `docs` what should be indexed. */
export interface DocumentBatch {
  seen: string[];
  docs: SearchDocument[];
}

interface Selection {
  ids?: string[];
  after?: string | null;
  take?: number;
  threadId?: string;
  productId?: string;
}

const BODY_MAX = 20_000;
const text = (html: string) => htmlToText(html).slice(0, BODY_MAX);

/** A public document with no filter fields; each kind fills in what it has. */
function base(kind: SearchKind, r: { id: string; createdAt: Date }) {
  return { kind, sourceId: r.id, productId: null, categoryId: null, status: null, visibility: "public", ownerId: null, createdAt: r.createdAt } as const;
}

/** Threads and posts in a staff-only forum category are for staff to find (a category change re-syncs them). */
const forumVisibility = (category: { readRole: string }) => (category.readRole === "staff" ? "staff" : "public");

function batchOf<R extends { id: string }>(rows: R[], keep: (row: R) => boolean, toDocument: (row: R) => SearchDocument): DocumentBatch {
  return { seen: rows.map((r) => r.id), docs: rows.filter(keep).map(toDocument) };
}

function where(selection: Selection) {
  return {
    ...(selection.ids ? { id: { in: selection.ids } } : {}),
    ...(selection.after ? { id: { gt: selection.after } } : {}),
  };
}

async function threads(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.forumThread.findMany({
    where: where(s),
    orderBy: { id: "asc" },
    take: s.take,
    select: {
      id: true,
      title: true,
      categoryId: true,
      category: { select: { readRole: true } },
      createdAt: true,
      deletedAt: true,
      solvedPostId: true,
      posts: { where: { position: 1 }, select: { bodyHtml: true, hiddenAt: true, deletedAt: true } },
    },
  });
  return batchOf(
    rows,
    (r) => !r.deletedAt,
    (r) => {
      const opening = r.posts[0];
      return {
        ...base("thread", r),
        url: `/community/t/${r.id}`,
        title: r.title.normalize("NFC"),
        body: opening && !opening.hiddenAt && !opening.deletedAt ? text(opening.bodyHtml) : "",
        categoryId: r.categoryId,
        status: r.solvedPostId ? "solved" : null,
        visibility: forumVisibility(r.category),
      };
    },
  );
}

async function posts(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.forumPost.findMany({
    where: { ...where(s), ...(s.threadId ? { threadId: s.threadId } : {}) },
    orderBy: { id: "asc" },
    take: s.take,
    select: {
      id: true,
      threadId: true,
      position: true,
      bodyHtml: true,
      createdAt: true,
      hiddenAt: true,
      deletedAt: true,
      thread: { select: { title: true, categoryId: true, deletedAt: true, category: { select: { readRole: true } } } },
    },
  });
  return batchOf(
    rows,
    // The opening post is the thread's document.
    (r) => r.position > 1 && !r.hiddenAt && !r.deletedAt && !r.thread.deletedAt,
    (r) => ({
      ...base("post", r),
      url: postLink(r.threadId, r.position),
      title: r.thread.title.normalize("NFC"),
      body: text(r.bodyHtml),
      categoryId: r.thread.categoryId,
      visibility: forumVisibility(r.thread.category),
    }),
  );
}

async function ideas(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.idea.findMany({
    where: where(s),
    orderBy: { id: "asc" },
    take: s.take,
    select: { id: true, title: true, bodyHtml: true, productId: true, status: true, createdAt: true, deletedAt: true, mergedIntoId: true },
  });
  return batchOf(
    rows,
    (r) => !r.deletedAt && !r.mergedIntoId,
    (r) => ({ ...base("idea", r), url: `/ideas/${r.id}`, title: r.title.normalize("NFC"), body: text(r.bodyHtml), productId: r.productId, status: r.status }),
  );
}

async function reviews(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.productReview.findMany({
    where: { ...where(s), ...(s.productId ? { productId: s.productId } : {}) },
    orderBy: { id: "asc" },
    take: s.take,
    select: {
      id: true,
      title: true,
      bodyHtml: true,
      rating: true,
      createdAt: true,
      hiddenAt: true,
      productId: true,
      product: { select: { slug: true, categoryId: true } },
    },
  });
  return batchOf(
    rows,
    (r) => !r.hiddenAt,
    (r) => ({
      ...base("review", r),
      url: `/products/${r.product.slug}#review-${r.id}`,
      title: r.title.normalize("NFC"),
      body: text(r.bodyHtml),
      productId: r.productId,
      categoryId: r.product.categoryId,
      status: String(r.rating),
    }),
  );
}

async function products(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.product.findMany({
    where: where(s),
    orderBy: { id: "asc" },
    take: s.take,
    select: { id: true, slug: true, nameVi: true, nameEn: true, descriptionVi: true, descriptionEn: true, categoryId: true, status: true, createdAt: true },
  });
  return batchOf(
    rows,
    () => true,
    (r) => ({
      ...base("product", r),
      url: `/products/${r.slug}`,
      title: (r.nameVi === r.nameEn ? r.nameVi : `${r.nameVi} · ${r.nameEn}`).normalize("NFC"),
      body: [r.descriptionVi, r.descriptionEn].filter(Boolean).join("\n").normalize("NFC"),
      productId: r.id,
      categoryId: r.categoryId,
      status: r.status,
    }),
  );
}

async function members(db: Db, s: Selection): Promise<DocumentBatch> {
  const rows = await db.user.findMany({
    where: where(s),
    orderBy: { id: "asc" },
    take: s.take,
    select: { id: true, displayName: true, username: true, email: true, company: true, role: true, accountManagerId: true, createdAt: true, deletedAt: true },
  });
  return batchOf(
    rows,
    (r) => !r.deletedAt && (isCommunityRole(r.role)),
    (r) => ({
      ...base("member", r),
      url: `/staff/members/${r.id}`,
      title: r.displayName.normalize("NFC"),
      // The address also split into words: the parser keeps an email as one token.
      body: [`@${r.username}`, r.email, r.email.replace(/[^\p{L}\p{N}]+/gu, " "), r.company ?? ""].join("\n").normalize("NFC"),
      visibility: "member",
      ownerId: r.accountManagerId,
    }),
  );
}

export const DOCUMENT_LOADERS: Record<SearchKind, (db: Db, s: Selection) => Promise<DocumentBatch>> = {
  thread: threads,
  post: posts,
  idea: ideas,
  review: reviews,
  product: products,
  member: members,
};
