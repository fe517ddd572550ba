/**
 * Keeping the index in step: an engine that is down loses nothing (the
 * outbox retries), and a reindex stopped half-way resumes where it stopped.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { SearchEngine } from "../../../app/modules/search/engine.ts";
import { reindexSearch, searchIndexHandler, SEARCH_SYNC } from "../../../app/modules/search/indexing.server.ts";
import { createOutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";
import type { Actor } from "../../../app/modules/policy/actor.ts";
import { createMember, createStaff } from "../../factories/actors.ts";
import { parseMemberFilter, searchMembers } from "../../../app/modules/console/members.server.ts";
import { createProduct, createReview } from "../../factories/co-creation.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { DOCUMENT_LOADERS } from "../../../app/modules/search/documents.server.ts";
import { saveCategory } from "../../../app/modules/forums/categories.server.ts";
import { createAdmin } from "../../factories/actors.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const admin = { role: "admin" as const, managerIds: [] };

/** A dispatcher with only the search handler, its clock a little ahead of the database's. */
function searchDispatcher(engine: SearchEngine, now = () => new Date(Date.now() + 5_000)) {
  return createOutboxDispatcher({ db: services.db, clock: { now }, logger: pino({ level: "silent" }), handlers: [searchIndexHandler({ db: services.db, search: engine })] });
}

/** The real engine behind a switch that makes every write fail, as a Meilisearch outage would. */
function flaky(engine: SearchEngine) {
  const state = { down: true };
  const wrapped: SearchEngine = {
    ...engine,
    async index(docs) {
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
      return engine.index(docs);
    },
    async remove(ids) {
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
      return engine.remove(ids);
    },
  };
  return { engine: wrapped, state };
}

describe("search indexing", () => {
  it("a product written while the engine is down is indexed once it is back; the event waits, it is not lost", async () => {
    const { engine, state } = flaky(services.search);
    let now = Date.now() + 5_000;
    const dispatcher = searchDispatcher(engine, () => new Date(now));
    const product = await createProduct(services.db, { nameVi: "Ấm siêu tốc inox", nameEn: "Stainless kettle" });
    await dispatcher.drainNow();
    const event = await services.db.outboxEvent.findFirstOrThrow({
      where: { type: SEARCH_SYNC, payload: { equals: { kind: "product", id: product.id } } },
      select: { status: true, attempts: true, lastError: true },
    });
    expect(event).toMatchObject({ status: "pending", attempts: 1 });
    expect(event.lastError).toContain("ECONNREFUSED");
    expect((await services.search.search({ q: "am sieu toc", offset: 0, limit: 5 }, admin)).hits).toEqual([]);

    state.down = false;
    now += 60_000; // past the backoff
    await dispatcher.drainNow();
    const hits = (await services.search.search({ q: "am sieu toc", offset: 0, limit: 5 }, admin)).hits;
    expect(hits.map((h) => h.sourceId)).toEqual([product.id]);
  });

  it("a product's new address reaches its reviews' results", async () => {
    const dispatcher = searchDispatcher(services.search);
    const author = await createMember(services.db);
    const product = await createProduct(services.db, { slug: "binh-cu", nameVi: "Bình giữ nhiệt", nameEn: "Flask" });
    await createReview(services.db, { productId: product.id, product, authorId: author.id, rating: 5, title: "Giữ nóng cả ngày", body: "Pha trà buổi sáng, chiều vẫn còn ấm.", at: new Date() });
    await dispatcher.drainNow();
    await services.db.product.update({ where: { id: product.id }, data: { slug: "binh-moi" } });
    await dispatcher.drainNow();
    const hits = (await services.search.search({ q: "giu nong ca ngay", offset: 0, limit: 5, kinds: ["review"] }, admin)).hits;
    expect(hits.map((h) => h.url)).toEqual([expect.stringMatching(/^\/products\/binh-moi#review-/)]);
  });

  it("a reindex stopped after its first batch resumes from its cursor, and drops documents of rows that are gone", async () => {
    for (let i = 0; i < 7; i++) await createMember(services.db, { displayName: `Người thử nghiệm ${i}` });
    await services.db.searchDocument.create({
      data: { id: "member:ghost", kind: "member", sourceId: "ghost", url: "/x", title: "Người thử nghiệm ma", body: "", visibility: "member", createdAt: new Date(), indexedAt: new Date(0) },
    });
    let batches = 0;
    const progress: string[] = [];
    const first = await reindexSearch(services, {
      fresh: true,
      batchSize: 3,
      onProgress: (p) => progress.push(`${p.kind}:${p.done}`),
      shouldStop: () => progress.some((p) => p.startsWith("member:")) && ++batches > 1,
    });
    expect(first).toBe(false);
    const cursor = await services.db.searchReindexCursor.findUniqueOrThrow({ where: { kind: "member" } });
    expect(cursor.finishedAt).toBeNull();
    expect(cursor.count).toBe(3);

    expect(await reindexSearch(services, { batchSize: 3 })).toBe(true);
    const found = await services.search.search({ q: "nguoi thu nghiem", offset: 0, limit: 20, kinds: ["member"] }, admin);
    expect(found.hits.map((h) => h.sourceId)).not.toContain("ghost");
    expect(found.total).toBe(7);
  });

  it("a reply beyond a thread's first page is found with a link to the page that holds it", async () => {
    const member = await createMember(services.db);
    const category = await createCategory(services.db);
    const { threadId, postIds } = await createThread(services.db, {
      categoryId: category.id, authorId: member.id, title: "Chủ đề dài", body: "Mở đầu", at: new Date(),
      replies: [{ authorId: member.id, body: "Trả lời thứ sáu mươi mốt", at: new Date() }],
    });
    await services.db.forumPost.update({ where: { id: postIds[1]! }, data: { position: 61 } });
    const { docs } = await DOCUMENT_LOADERS.post(services.db, { threadId });
    expect(docs.map((d) => d.url)).toContain(`/community/t/${threadId}?from=51#post-61`);
  });

  it("a thread and its replies in a staff-only category are found by staff and admins only, and follow the category's read role when it changes", async () => {
    const dispatcher = searchDispatcher(services.search);
    const staff = await createStaff(services.db);
    const category = await createCategory(services.db, { readRole: "staff", postingRole: "staff" });
    const at = new Date();
    const { threadId, postIds } = await createThread(services.db, {
      categoryId: category.id, authorId: staff.id, title: "Lịch trực chat dịp Tết", body: "Ai nhận ca mùng một?", at,
      replies: [{ authorId: staff.id, body: "Mình nhận ca sáng mùng một.", at: new Date(at.getTime() + 1000) }],
    });
    const both = [threadId, postIds[1]!].sort();
    expect((await DOCUMENT_LOADERS.thread(services.db, { ids: [threadId] })).docs.map((d) => d.visibility)).toEqual(["staff"]);
    expect((await DOCUMENT_LOADERS.post(services.db, { threadId })).docs.map((d) => d.visibility)).toEqual(["staff"]);
    await dispatcher.drainNow();
    const found = async (role: "anonymous" | "member" | "moderator" | "staff" | "admin") =>
      (await services.search.search({ q: "ca mung mot", offset: 0, limit: 10, kinds: ["thread", "post"] }, { role, managerIds: [] })).hits.map((h) => h.sourceId).sort();
    expect(await found("staff")).toEqual(both);
    expect(await found("admin")).toEqual(both);
    for (const role of ["member", "moderator", "anonymous"] as const) expect(await found(role), role).toEqual([]);

    // Opened to everyone by an admin: the category's trigger re-syncs its threads, and they their replies.
    const admin = await createAdmin(services.db);
    const form = { id: category.id, slug: category.slug, nameVi: category.nameVi, nameEn: category.nameEn, color: category.color, position: "1", postingRole: "staff" };
    expect((await saveCategory(services, admin.actor, { ...form, readRole: "everyone" })).ok).toBe(true);
    await dispatcher.drainNow();
    expect(await found("member")).toEqual(both);
    expect(await found("anonymous")).toEqual(both);

    expect((await saveCategory(services, admin.actor, { ...form, readRole: "staff" })).ok).toBe(true);
    await dispatcher.drainNow();
    expect(await found("member")).toEqual([]);
    expect(await found("staff")).toEqual(both);
  });

  it("the console's member list finds a member typed without tones, still only within the viewer's scope", async () => {
    const dispatcher = searchDispatcher(services.search);
    const manager = await createStaff(services.db);
    const other = await createStaff(services.db);
    await createMember(services.db, { displayName: "Đặng Thị Hồng Nhung", accountManagerId: manager.id });
    await dispatcher.drainNow();
    const names = async (actor: Actor) =>
      (await searchMembers(services, actor, parseMemberFilter(new URLSearchParams("q=dang thi hong nhung&manager=all")))).rows.map((r) => r.displayName);
    expect(await names(manager.actor)).toEqual(["Đặng Thị Hồng Nhung"]);
    expect(await names(other.actor)).toEqual([]);
  });
});
