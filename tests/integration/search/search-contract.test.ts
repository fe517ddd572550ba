/**
 * The one contract both search engines pass (docs/decisions/010-search.md).
 * The PostgreSQL engine runs on the file's database (PGlite, and PostgreSQL
 * in the postgres project). Meilisearch runs whenever MEILI_URL points at a
 * server that answers; there is none on this project's machines, so that run is skipped
 * with a message, never faked.
 */
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import type { SearchDocument, SearchEngine, SearchKind, SearchQuery, SearchViewer } from "../../../app/modules/search/engine.ts";
import { createPostgresSearchEngine } from "../../../app/modules/search/postgres-engine.server.ts";
import { createMeilisearchEngine } from "../../../app/modules/search/meilisearch-engine.server.ts";
import { searchIndexHandler } from "../../../app/modules/search/indexing.server.ts";
import { searchContent } from "../../../app/modules/search/search.server.ts";
import { createOutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";
import { startThread, replyToThread } from "../../../app/modules/forums/forums.server.ts";
import { deletePost, setPostHidden } from "../../../app/modules/forums/post-actions.server.ts";
import { createAdmin, createMember, createStaff } from "../../factories/actors.ts";
import { createModerator } from "../../factories/co-creation.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile, type TestServices } from "../../support/services.ts";

const services = servicesForThisFile();

/** MEILI_URL when a Meilisearch server answers there; otherwise the run is skipped, saying why. */
async function reachableMeilisearch(url: string | undefined) {
  if (!url) return { url: null, why: "MEILI_URL is not set (no Meilisearch server is reachable here)" };
  const health = await fetch(new URL("/health", url), { signal: AbortSignal.timeout(2_000) }).then(
    (r) => (r.ok ? null : `${url}/health answered ${r.status}`),
    (error: Error) => `${url} did not answer (${error.message})`,
  );
  return health ? { url: null, why: `MEILI_URL is set but unreachable: ${health}` } : { url, why: null };
}

const meili = await reachableMeilisearch(process.env.MEILI_URL);
const MEILI_URL = meili.url;
if (meili.why) {
  console.warn(
    `search contract: the Meilisearch run is SKIPPED because ${meili.why}. ` +
      "Set MEILI_URL (and MEILI_KEY) to a running server to run the same suite against Meilisearch.",
  );
}

const STAFF_A = "staff-a";
const STAFF_B = "staff-b";
const anonymous: SearchViewer = { role: "anonymous", managerIds: [] };
const member: SearchViewer = { role: "member", managerIds: [] };
const staffA: SearchViewer = { role: "staff", managerIds: [STAFF_A] };
const admin: SearchViewer = { role: "admin", managerIds: [] };

function doc(kind: SearchKind, sourceId: string, title: string, body: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    kind,
    sourceId,
    url: `/${kind}/${sourceId}`,
    title,
    body,
    productId: null,
    categoryId: null,
    status: null,
    visibility: "public",
    ownerId: null,
    createdAt: new Date("2026-01-15T10:00:00Z"),
    ...extra,
  };
}

const FIXTURES: SearchDocument[] = [
  doc("thread", "t1", "Chăm sóc khách hàng tại Đà Nẵng", "Dịch vụ khách hàng ở chi nhánh rất tốt.", { categoryId: "cat-a", createdAt: new Date("2026-01-10T00:00:00Z") }),
  doc("thread", "t2", "Đổi trả máy lọc nước", "Máy lọc nước bị rò rỉ, đổi trả thế nào?", { categoryId: "cat-a", createdAt: new Date("2026-01-12T00:00:00Z") }),
  // A reply carries its thread's title and says the words more often: the thread still comes first.
  doc("post", "t2-r1", "Đổi trả máy lọc nước", "Máy lọc nước đổi trong 30 ngày; máy lọc nước mới giao ngay, máy lọc nước cũ thu lại.", { categoryId: "cat-a", createdAt: new Date("2026-01-13T00:00:00Z") }),
  doc("post", "p9", "Hàng mới về", "Khách đến xem rất đông, ai cũng hỏi mua hàng.", { categoryId: "cat-a", createdAt: new Date("2026-04-10T00:00:00Z") }),
  doc("idea", "cricket", "Nuôi con dế mèn", "Con dế kêu vào ban đêm.", { productId: "prod-1", status: "open", createdAt: new Date("2026-02-01T00:00:00Z") }),
  doc("idea", "goat", "Nuôi con dê núi", "Con dê ăn cỏ trên đồi.", { productId: "prod-2", status: "planned", createdAt: new Date("2026-03-01T00:00:00Z") }),
  doc("post", "warranty", "Warranty registration", "How do I register the warranty for my espresso machine?", { categoryId: "cat-b", createdAt: new Date("2026-02-15T00:00:00Z") }),
  doc("review", "service", "Excellent customer service", "The support team answered quickly.", { productId: "prod-1", createdAt: new Date("2026-03-20T00:00:00Z") }),
  doc("product", "bike", "Xe đạp leo núi", "Khung nhôm nhẹ, phanh đĩa.", { productId: "bike", categoryId: "pc-1", status: "active" }),
  doc("thread", "secret", "Kế hoạch nội bộ quý ba", "Danh sách ưu đãi bí mật cho khách hàng thân thiết.", { visibility: "staff", categoryId: "cat-staff" }),
  doc("member", "m-a", "Nguyễn Văn Phúc", "@phucnguyen\nphuc.nguyen@example.com\nphuc nguyen example com\nCông ty Sao Mai", { visibility: "member", ownerId: STAFF_A }),
  doc("member", "m-b", "Trần Thị Phúc", "@phuctran\nphuc.tran@example.com\nphuc tran example com\nCông ty Hoa Sen", { visibility: "member", ownerId: STAFF_B }),
  doc("member", "m-none", "Lê Văn Phúc", "@phucle\nphuc.le@example.com", { visibility: "member", ownerId: null }),
  ...Array.from({ length: 25 }, (_, i) =>
    doc("product", `warranty-${String(i).padStart(2, "0")}`, `Gói bảo hành số ${i + 1}`, "Bảo hành mở rộng cho thiết bị.", {
      createdAt: new Date(Date.UTC(2025, 0, i + 1)),
      status: "active",
    }),
  ),
];

function contract(label: string, makeEngine: () => SearchEngine) {
  let engine: SearchEngine;
  const search = (q: string, viewer: SearchViewer = member, extra: Partial<SearchQuery> = {}) =>
    engine.search({ q, offset: 0, limit: 20, ...extra }, viewer);
  const ids = async (q: string, viewer: SearchViewer = member, extra: Partial<SearchQuery> = {}) =>
    (await search(q, viewer, extra)).hits.map((h) => h.sourceId);

  beforeAll(async () => {
    engine = makeEngine();
    await engine.bootstrap();
    await engine.clear();
    await engine.index(FIXTURES);
  }, 120_000);

  describe(`the ${label} engine`, () => {
    it("ignores diacritics both ways", async () => {
      expect(await ids("khach hang")).toContain("t1");
      expect(await ids("khách hàng")).toContain("t1");
      expect(await ids("da nang")).toContain("t1");
      expect(await ids("Đà Nẵng")).toEqual(["t1"]);
      expect(await ids("ĐA NANG")).toEqual(["t1"]);
    });

    it("ranks the exact tone first when the query has tone marks", async () => {
      expect((await ids("con dế")).slice(0, 2)).toEqual(["cricket", "goat"]);
      expect((await ids("con dê")).slice(0, 2)).toEqual(["goat", "cricket"]);
      // Without marks both match.
      expect(new Set(await ids("con de"))).toEqual(new Set(["cricket", "goat"]));
    });

    it("ranks a thread above its replies that match as well", async () => {
      expect(await ids("may loc nuoc")).toEqual(["t2", "t2-r1"]);
      expect(await ids("đổi trả máy lọc nước")).toEqual(["t2", "t2-r1"]);
    });

    it("tolerates one typo in words of five letters or more, none below", async () => {
      expect(await ids("warrenty")).toContain("warranty"); // substitution
      expect(await ids("espreso machine")).toContain("warranty"); // deletion
      expect(await ids("excellnet")).toContain("service"); // two letters swapped
      expect(await ids("registraton")).toContain("warranty");
      expect(await ids("tean support")).toEqual([]); // "team" has four letters: no typo
      expect(await ids("warrxnty machxne")).toContain("warranty");
      expect(await ids("wxrrxnty")).toEqual([]); // two edits
    });

    it("matches prefixes as you type", async () => {
      expect(await ids("espre")).toContain("warranty");
      expect(await ids("khach ha")).toContain("t1");
      expect(await ids("xe da")).toContain("bike");
    });

    it("works the same in English", async () => {
      expect(await ids("customer service")).toEqual(["service"]);
      expect(await ids("Register Warranty")).toContain("warranty");
    });

    it("ranks a multi-syllable word as a phrase above scattered syllables, and quoted phrases must match", async () => {
      const both = await ids("khach hang");
      expect(both).toEqual(expect.arrayContaining(["t1", "p9"]));
      expect(both.indexOf("t1")).toBeLessThan(both.indexOf("p9"));
      expect(await ids('"khach hang" chi nhanh')).toEqual(["t1"]);
    });

    it("filters by kind, product, category and date", async () => {
      expect(await ids("con", member, { kinds: ["idea"], productId: "prod-2" })).toEqual(["goat"]);
      expect(await ids("khach hang", member, { categoryId: "cat-a", kinds: ["thread"] })).toEqual(["t1"]);
      expect(await ids("khach", member, { kinds: ["post"] })).toEqual(["p9"]);
      const early = await ids("con", member, { from: new Date("2026-01-20T00:00:00Z"), to: new Date("2026-02-20T00:00:00Z") });
      expect(early).toEqual(["cricket"]);
    });

    it("sorts newest first when asked, through every page", async () => {
      const pages = await Promise.all([0, 10, 20].map((offset) => search("bao hanh", member, { offset, limit: 10, kinds: ["product"], sort: "newest" })));
      const all = pages.flatMap((p) => p.hits.map((h) => h.sourceId));
      expect(all).toEqual(Array.from({ length: 25 }, (_, i) => `warranty-${String(24 - i).padStart(2, "0")}`));
      // Newest first still matches every word: the tone-marked query's exact matches are not lifted.
      expect(await ids("con dế", member, { sort: "newest" })).toEqual(["goat", "cricket"]);
    });

    it("pages through results without repeats", async () => {
      const pages = await Promise.all([0, 10, 20].map((offset) => search("bao hanh", member, { offset, limit: 10, kinds: ["product"] })));
      expect(pages.map((p) => p.hits.length)).toEqual([10, 10, 5]);
      expect(pages[0]!.total).toBe(25);
      const all = pages.flatMap((p) => p.hits.map((h) => h.sourceId));
      expect(new Set(all).size).toBe(25);
    });

    it("shows staff-only content to staff only", async () => {
      expect(await ids("bi mat", anonymous)).toEqual([]);
      expect(await ids("bi mat", member)).toEqual([]);
      expect(await ids("bi mat", staffA)).toEqual(["secret"]);
      expect(await ids("bi mat", admin)).toEqual(["secret"]);
    });

    it("shows members only to staff whose scope holds them, and all to admins", async () => {
      expect(await ids("phuc", member)).toEqual([]);
      expect(await ids("phuc", anonymous)).toEqual([]);
      expect(await ids("phuc", staffA)).toEqual(["m-a"]);
      expect(await ids("phuc", { role: "staff", managerIds: [] })).toEqual([]);
      expect(new Set(await ids("phuc", admin))).toEqual(new Set(["m-a", "m-b", "m-none"]));
      expect(await ids("sao mai", staffA)).toEqual(["m-a"]);
      expect(await ids("phuc.nguyen@example.com", staffA)).toEqual(["m-a"]);
    });

    it("removes documents", async () => {
      await engine.index([doc("post", "gone", "Tạm thời", "Nội dung sắp bị xoá")]);
      expect(await ids("sap bi xoa")).toEqual(["gone"]);
      await engine.remove(["post:gone"]);
      expect(await ids("sap bi xoa")).toEqual([]);
    });
  });
}

describe("search contract", () => {
  contract("PostgreSQL", () => createPostgresSearchEngine(services.db));
});

describe.skipIf(!MEILI_URL)("search contract on Meilisearch", () => {
  contract("Meilisearch", () =>
    createMeilisearchEngine({ url: MEILI_URL!, key: process.env.MEILI_KEY ?? null, index: `rapport_test_${randomBytes(4).toString("hex")}` }),
  );
});

/** The file's services with another engine in place of the default. */
const withEngine = (engine: SearchEngine) =>
  new Proxy(services, { get: (target, prop) => (prop === "search" ? engine : Reflect.get(target, prop)) }) as TestServices;

/**
 * From the forum's own module functions through the triggers, the outbox and
 * the handler into the engine: hidden and deleted posts leave the index.
 */
function indexingStory(label: string, makeEngine: (s: TestServices) => SearchEngine) {
  describe(`indexing into ${label}`, () => {
    it("a reply is found within a drain; once hidden or deleted it is never returned", async () => {
      const engine = makeEngine(services);
      await engine.bootstrap();
      const dispatcher = createOutboxDispatcher({
        db: services.db,
        clock: { now: () => new Date(Date.now() + 5_000) },
        logger: pino({ level: "silent" }),
        handlers: [searchIndexHandler({ db: services.db, search: engine })],
      });
      const s = withEngine(engine);
      const author = await createMember(services.db);
      const moderator = await createModerator(services.db);
      const category = await createCategory(services.db);
      const thread = await startThread(s, author.actor, { categoryId: category.id, title: "Máy pha cà phê bị rò nước", body: "Máy của tôi rò nước ở đáy." });
      if (!thread.ok) throw new Error(JSON.stringify(thread));
      const hidden = await replyToThread(s, author.actor, { threadId: thread.threadId, body: "Tôi đã thay gioăng cao su chống rò." });
      const second = await createMember(services.db);
      const removed = await replyToThread(s, second.actor, { threadId: thread.threadId, body: "Kiểm tra van xả áp suất giúp mình." });
      if (!hidden.ok || !removed.ok) throw new Error(`reply failed: ${JSON.stringify([hidden, removed])}`);
      await dispatcher.drainNow();

      const kinds = async (q: string, actor: typeof author.actor | null = author.actor) =>
        (await searchContent(s, actor, { q, page: 1 })).items.map((i) => i.kind);
      expect(await kinds("may pha ca phe ro nuoc")).toContain("thread");
      expect(await kinds("gioang cao su")).toEqual(["post"]);
      expect(await kinds("van xa ap suat", null)).toEqual(["post"]);

      expect(await setPostHidden(s, moderator.actor, { postId: hidden.postId, hidden: true })).toEqual({ ok: true });
      expect((await deletePost(s, second.actor, { postId: removed.postId })).ok).toBe(true);
      await dispatcher.drainNow();
      expect(await kinds("gioang cao su")).toEqual([]);
      expect(await kinds("gioang cao su", moderator.actor)).toEqual([]);
      expect(await kinds("van xa ap suat")).toEqual([]);

      await setPostHidden(s, moderator.actor, { postId: hidden.postId, hidden: false });
      await dispatcher.drainNow();
      expect(await kinds("gioang cao su")).toEqual(["post"]);
    });

    it("a member's record is found by their manager and admins, not by other staff or members", async () => {
      const engine = makeEngine(services);
      const s = withEngine(engine);
      const dispatcher = createOutboxDispatcher({
        db: services.db,
        clock: { now: () => new Date(Date.now() + 5_000) },
        logger: pino({ level: "silent" }),
        handlers: [searchIndexHandler({ db: services.db, search: engine })],
      });
      const manager = await createStaff(services.db);
      const other = await createStaff(services.db);
      const boss = await createAdmin(services.db);
      const someone = await createMember(services.db);
      await createMember(services.db, { displayName: "Hoàng Thị Xuân Quỳnh", accountManagerId: manager.id });
      await dispatcher.drainNow();
      const found = async (actor: { id: string; role: "member" | "staff" | "admin" | "moderator" }) =>
        (await searchContent(s, actor, { q: "xuan quynh", page: 1 })).items.map((i) => i.kind);
      expect(await found(manager.actor)).toEqual(["member"]);
      expect(await found(boss.actor)).toEqual(["member"]);
      expect(await found(other.actor)).toEqual([]);
      expect(await found(someone.actor)).toEqual([]);
      expect((await searchContent(s, someone.actor, { q: "xuan quynh", kind: "member", page: 1 })).items).toEqual([]);
    });
  });
}

indexingStory("PostgreSQL", (s) => s.search);
describe.skipIf(!MEILI_URL)("on Meilisearch", () => {
  indexingStory("Meilisearch", () =>
    createMeilisearchEngine({ url: MEILI_URL!, key: process.env.MEILI_KEY ?? null, index: `rapport_story_${randomBytes(4).toString("hex")}` }),
  );
});
