/**
 * /search and the header box's /api/search as a browser reaches them: the
 * viewer's results, the rate limit and an engine that does not answer. The
 * failing engine is the real Meilisearch client pointed at a port where no
 * server listens, which is what an outage looks like to the app.
 */
import { describe, expect, it } from "vitest";
import { loader as searchPage } from "../../../app/routes/search.tsx";
import { loader as searchApi } from "../../../app/routes/api.search.tsx";
import { createMeilisearchEngine } from "../../../app/modules/search/meilisearch-engine.server.ts";
import { SEARCH_RATE } from "../../../app/modules/search/search.server.ts";
import { createMember, createStaff } from "../../factories/actors.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { DOCUMENT_LOADERS } from "../../../app/modules/search/documents.server.ts";
import { routeAnswer, routeContext, ORIGIN } from "../../support/routes.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const get = (path: string) => new Request(`${ORIGIN}${path}`);
type PageData = { result: { items: { url: string }[] }; unavailable: boolean; input: { q: string } };
type ApiData = { groups: { kind: string; items: { url: string }[] }[]; problem: { kind: string; retryAfterSeconds: number } | null };

describe("search routes", () => {
  it("finds a product typed without tones, on the page and in the header box", async () => {
    const member = await createMember(services.db);
    const product = await createProduct(services.db, { nameVi: "Đèn pin sạc Đà Lạt", nameEn: "Da Lat rechargeable torch" });
    await services.search.index([
      { kind: "product", sourceId: product.id, url: `/products/${product.id}`, title: "Đèn pin sạc Đà Lạt", body: "", productId: product.id, categoryId: null, status: null, visibility: "public", ownerId: null, createdAt: new Date() },
    ]);
    const context = routeContext(services, member);
    const page = await routeAnswer(() => searchPage({ request: get("/search?q=den%20pin%20da%20lat"), context, params: {} }));
    expect(page.status).toBe(200);
    expect((page.data as PageData).result.items.map((i) => i.url)).toContain(`/products/${product.id}`);
    const api = await routeAnswer(() => searchApi({ request: get("/api/search?q=den%20pin%20da%20lat"), context, params: {} }));
    expect(api.status).toBe(200);
    expect((api.data as ApiData).groups.find((g) => g.kind === "product")?.items.map((i) => i.url)).toContain(`/products/${product.id}`);
  });

  it("a staff member finds their member by address and reads the name, email and company, not the words the index keeps", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { displayName: "Đỗ Thu Hà", email: `thuha.do.${Date.now()}@example.com`, accountManagerId: manager.id });
    await services.db.user.update({ where: { id: member.id }, data: { company: "Công ty Sen Vàng" } });
    await services.search.index((await DOCUMENT_LOADERS.member(services.db, { ids: [member.id] })).docs);
    const context = routeContext(services, manager);
    type Shown = { url: string; title: { text: string }[]; snippet: { text: string }[] };
    const read = (item: Shown | undefined) => item && { title: item.title.map((s) => s.text).join(""), line: item.snippet.map((s) => s.text).join("") };
    const expected = { title: "Đỗ Thu Hà", line: `${member.email} · Công ty Sen Vàng` };

    const page = await routeAnswer(() => searchPage({ request: get("/search?q=thuha"), context, params: {} }));
    expect(read((page.data as { result: { items: Shown[] } }).result.items.find((i) => i.url === `/staff/members/${member.id}`))).toEqual(expected);
    const api = await routeAnswer(() => searchApi({ request: get("/api/search?q=thuha"), context, params: {} }));
    const groups = (api.data as { groups: { kind: string; items: Shown[] }[] }).groups;
    expect(read(groups.find((g) => g.kind === "member")?.items[0])).toEqual(expected);
  });

  it("orders the page newest first on request; an unknown order falls back to best match", async () => {
    const member = await createMember(services.db);
    const docs = ["older", "newer"].map((name, i) => ({
      kind: "product" as const, sourceId: `sort-${name}`, url: `/products/sort-${name}`, title: "Ấm pha trà gốm Bát Tràng", body: "",
      productId: null, categoryId: null, status: null, visibility: "public" as const, ownerId: null, createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
    }));
    await services.search.index(docs);
    const context = routeContext(services, member);
    const urls = async (query: string) =>
      ((await routeAnswer(() => searchPage({ request: get(`/search?q=am%20pha%20tra%20gom&${query}`), context, params: {} }))).data as PageData).result.items.map((i) => i.url);
    expect(await urls("sort=newest")).toEqual(["/products/sort-newer", "/products/sort-older"]);
    expect(await urls("sort=sideways")).toEqual(await urls(""));
  });

  it("an engine that does not answer gives 503 with the query kept, not an error page or 'nothing matches'", async () => {
    const member = await createMember(services.db);
    const engine = createMeilisearchEngine({ url: "http://127.0.0.1:9", key: null });
    const down = new Proxy(services, { get: (target, prop) => (prop === "search" ? engine : Reflect.get(target, prop)) });
    const context = routeContext(down, member);
    const page = await routeAnswer(() => searchPage({ request: get("/search?q=bao%20hanh"), context, params: {} }));
    expect(page.status).toBe(503);
    expect(page.data as PageData).toMatchObject({ unavailable: true, input: { q: "bao hanh" }, result: { items: [] } });
    const api = await routeAnswer(() => searchApi({ request: get("/api/search?q=bao%20hanh"), context, params: {} }));
    expect(api.status).toBe(503);
    expect((api.data as ApiData).problem).toEqual({ kind: "unavailable", retryAfterSeconds: 30 });
  });

  it("the header box lists a busy thread once: its replies collapse to the best one, and to none when the thread itself is listed", async () => {
    const member = await createMember(services.db);
    const category = await createCategory(services.db);
    const at = new Date();
    const replies = (body: string) => [1, 2, 3].map((n) => ({ authorId: member.id, body: `${body} (${n})`, at: new Date(at.getTime() + n * 1000) }));
    const titled = await createThread(services.db, { categoryId: category.id, authorId: member.id, title: "Máy lọc nước Karofi kêu to", body: "Máy lọc nước kêu to ban đêm.", at, replies: replies("Máy lọc nước nhà mình cũng vậy") });
    const untitled = await createThread(services.db, { categoryId: category.id, authorId: member.id, title: "Tiếng ồn ban đêm", body: "Có cách nào giảm không?", at, replies: replies("Thử lau lõi máy lọc nước") });
    for (const { threadId } of [titled, untitled]) {
      await services.search.index((await DOCUMENT_LOADERS.thread(services.db, { ids: [threadId] })).docs);
      await services.search.index((await DOCUMENT_LOADERS.post(services.db, { threadId })).docs);
    }
    const api = await routeAnswer(() => searchApi({ request: get("/api/search?q=may%20loc%20nuoc"), context: routeContext(services, member), params: {} }));
    const urls = (kind: string) => ((api.data as ApiData).groups.find((g) => g.kind === kind)?.items ?? []).map((i) => i.url);
    expect(urls("thread")).toEqual([`/community/t/${titled.threadId}`]);
    expect(urls("post")).toEqual([expect.stringMatching(new RegExp(`^/community/t/${untitled.threadId}#post-\\d+$`))]);
  });

  it("the header box answers 429 as data past the rate limit, so the page around it stays", async () => {
    const member = await createMember(services.db);
    const context = routeContext(services, member);
    let last: Awaited<ReturnType<typeof routeAnswer>> | undefined;
    for (let i = 0; i <= SEARCH_RATE.max; i++) last = await routeAnswer(() => searchApi({ request: get(`/api/search?q=kha${i}`), context, params: {} }));
    expect(last!.status).toBe(429);
    expect((last!.data as ApiData).problem?.kind).toBe("rateLimited");
    expect((last!.data as ApiData).problem!.retryAfterSeconds).toBeGreaterThan(0);
  });
});
