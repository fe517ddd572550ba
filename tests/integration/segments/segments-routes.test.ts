/**
 * The segment pages, called as Remix calls them: who may open them, each count cut to the viewer's
 * scope, the live preview's problems at their rows, a refused save with its field error, archive,
 * and the members table and CSV filtered by a saved segment.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loader as listLoader } from "../../../app/routes/staff.segments._index.tsx";
import { action as newAction, loader as newLoader } from "../../../app/routes/staff.segments.new.tsx";
import { action as editAction, loader as editLoader } from "../../../app/routes/staff.segments.$segmentId.tsx";
import { action as previewAction } from "../../../app/routes/staff.segments.preview.tsx";
import { loader as membersLoader } from "../../../app/routes/staff.members._index.tsx";
import { loader as csvLoader } from "../../../app/routes/staff.members[.csv].tsx";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { createSegmentRow } from "../../factories/segments.ts";
import type { SegmentDefinition } from "../../../app/modules/segments/definition.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { formPost, ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile();
const context = (who: Person) => routeContext(services, who);
type Loader = (args: { request: Request; context: ReturnType<typeof context>; params: Record<string, string> }) => unknown;
const get = (loader: Loader, path: string, who: Person, params: Record<string, string> = {}) =>
  routeAnswer(async () => loader({ request: new Request(`${ORIGIN}${path}`), context: context(who), params }));
const post = (action: Loader, path: string, who: Person, fields: Record<string, string>, params: Record<string, string> = {}) =>
  routeAnswer(async () => action({ request: formPost(path, fields), context: context(who), params }));
const csvOf = async (path: string, who: Person) => {
  try {
    const response = (await csvLoader({ request: new Request(`${ORIGIN}${path}`), context: context(who), params: {} })) as Response;
    return { status: response.status, lines: (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n") };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, lines: [] };
    throw error;
  }
};

let admin: Person, mai: Person, nam: Person, member: Person;
let phinId: string;
let phinLoyal: string;
const loyalWithPhin = (): SegmentDefinition => ({
  match: "and",
  groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }, { field: "owns_product", op: "any", values: [phinId] }] }],
});

beforeAll(async () => {
  const db = services.db;
  admin = await createAdmin(db);
  mai = await createStaff(db, { displayName: "Mai Route" });
  nam = await createStaff(db, { displayName: "Nam Route" });
  member = await createMember(db, { accountManagerId: mai.id });
  const maiLoyal = await createMember(db, { displayName: "An Loyal", accountManagerId: mai.id });
  const namLoyal = await createMember(db, { displayName: "Châu Loyal", accountManagerId: nam.id });
  const maiBuild = await createMember(db, { displayName: "Bình Build", accountManagerId: mai.id });
  await db.user.updateMany({ where: { id: { in: [maiLoyal.id, namLoyal.id] } }, data: { stage: "loyal" } });
  await db.user.update({ where: { id: maiBuild.id }, data: { stage: "build" } });
  phinId = (await createProduct(db, { slug: "phin-route", nameVi: "Phin cà phê", nameEn: "Phin coffee filter" })).id;
  for (const m of [maiLoyal, namLoyal, maiBuild]) await db.productOwnership.create({ data: { productId: phinId, memberId: m.id } });
  phinLoyal = (await createSegmentRow(db, { name: "Loyal Phin owners", definition: loyalWithPhin(), createdById: mai.id })).id;
});

describe("who may open the segment pages", () => {
  it("refuses members everywhere, as every staff page does (403), and answers 404 for an unknown segment", async () => {
    const definition = JSON.stringify(loyalWithPhin());
    expect((await get(listLoader, "/staff/segments", member)).status).toBe(403);
    expect((await get(newLoader, "/staff/segments/new", member)).status).toBe(403);
    expect((await get(editLoader, `/staff/segments/${phinLoyal}`, member, { segmentId: phinLoyal })).status).toBe(403);
    expect((await post(previewAction, "/staff/segments/preview", member, { definition })).status).toBe(403);
    expect((await post(newAction, "/staff/segments/new", member, { name: "x", definition })).status).toBe(403);
    expect((await post(editAction, `/staff/segments/${phinLoyal}`, member, { intent: "archive" }, { segmentId: phinLoyal })).status).toBe(403);
    expect((await get(editLoader, "/staff/segments/nope", mai, { segmentId: "nope" })).status).toBe(404);
  });
});

describe("counts are the viewer's share", () => {
  it("lists each segment with the count of the members the viewer may see: the author's own, another staff member's own, everyone's for an admin", async () => {
    const countFor = async (who: Person) => {
      const page = await get(listLoader, "/staff/segments", who);
      return (page.data as { segments: { id: string; count: number | null; canChange: boolean }[] }).segments.find((s) => s.id === phinLoyal);
    };
    expect(await countFor(mai)).toMatchObject({ count: 1, canChange: true });
    expect(await countFor(nam)).toMatchObject({ count: 1, canChange: false });
    expect(await countFor(admin)).toMatchObject({ count: 2, canChange: true });
  });

  it("previews live in the same scope, and tells each problem at its row", async () => {
    const preview = (who: Person, definition: unknown) => post(previewAction, "/staff/segments/preview", who, { definition: JSON.stringify(definition) });
    expect(await preview(mai, loyalWithPhin())).toMatchObject({ status: 200, data: { ok: true, count: 1, sample: [{ displayName: "An Loyal", stage: "loyal", manager: "Mai Route" }] } });
    expect(await preview(admin, loyalWithPhin())).toMatchObject({ status: 200, data: { ok: true, count: 2 } });
    const bad = { match: "and", groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }, { field: "engagement_score", min: 30, max: 10 }] }] };
    expect(await preview(mai, bad)).toMatchObject({ status: 400, data: { ok: false, issues: [{ path: "groups.0.conditions.1", message: "segment.rangeOrder" }] } });
    expect(await preview(mai, { match: "and", groups: [{ match: "and", conditions: [] }] })).toMatchObject({ data: { issues: [{ path: "", message: "segment.noConditions" }] } });
    expect(await post(previewAction, "/staff/segments/preview", mai, { definition: "{not json" })).toMatchObject({ status: 400, data: { issues: [{ path: "", message: "segment.definitionInvalid" }] } });
  });
});

describe("saving and archiving through the pages", () => {
  it("refuses a bad definition with its field error and keeps what was typed; saves a good one and lists it", async () => {
    const empty = JSON.stringify({ match: "and", groups: [{ match: "and", conditions: [] }] });
    expect(await post(newAction, "/staff/segments/new", nam, { name: "Nobody yet", description: "typed", definition: empty })).toMatchObject({
      status: 400,
      data: { ok: false, error: "invalid", fieldErrors: { definition: ["segment.noConditions"] }, values: { name: "Nobody yet", description: "typed" } },
    });
    expect(await post(newAction, "/staff/segments/new", nam, { name: "", definition: JSON.stringify(loyalWithPhin()) })).toMatchObject({ status: 400, data: { fieldErrors: { name: ["validation.required"] } } });
    const saved = await post(newAction, "/staff/segments/new", nam, { name: "Nam's Phin owners", definition: JSON.stringify(loyalWithPhin()) });
    expect(saved).toMatchObject({ status: 302, location: expect.stringMatching(/^\/staff\/segments\?saved=/) });
    const id = saved.location!.split("=")[1]!;
    const editor = await get(editLoader, `/staff/segments/${id}`, nam, { segmentId: id });
    expect(editor).toMatchObject({ status: 200, data: { canChange: true, segment: { name: "Nam's Phin owners", definition: loyalWithPhin() } } });
    // The editor offers what the definition names, and the staff member's own name among the managers.
    expect((editor.data as { options: { products: { id: string }[]; managers: { id: string }[] } }).options.products.map((p) => p.id)).toContain(phinId);
    expect((editor.data as { options: { managers: { id: string }[] } }).options.managers.map((m) => m.id)).toContain(nam.id);
  });

  it("lets only the author or an admin change or archive a segment; archived, it leaves the list", async () => {
    const id = (await createSegmentRow(services.db, { name: "To archive", definition: loyalWithPhin(), createdById: mai.id })).id;
    const fields = { intent: "save", name: "Taken over", definition: JSON.stringify(loyalWithPhin()) };
    expect((await post(editAction, `/staff/segments/${id}`, nam, fields, { segmentId: id })).status).toBe(403);
    expect((await post(editAction, `/staff/segments/${id}`, nam, { intent: "archive" }, { segmentId: id })).status).toBe(403);
    expect(await post(editAction, `/staff/segments/${id}`, admin, { ...fields, name: "Renamed by admin" }, { segmentId: id })).toMatchObject({ status: 302, location: `/staff/segments?saved=${id}` });
    expect(await post(editAction, `/staff/segments/${id}`, mai, { intent: "archive" }, { segmentId: id })).toMatchObject({ status: 302, location: "/staff/segments?archived=1" });
    const list = await get(listLoader, "/staff/segments", mai);
    expect((list.data as { segments: { id: string }[] }).segments.map((s) => s.id)).not.toContain(id);
    expect((await post(editAction, `/staff/segments/${id}`, mai, { intent: "archive" }, { segmentId: id })).status).toBe(404);
    expect((await post(editAction, `/staff/segments/${id}`, mai, { intent: "drop" }, { segmentId: id })).status).toBe(400);
  });
});

describe("the members table and its CSV, filtered by a segment", () => {
  it("ANDs the segment into the other filters and the scope, on the page and in the export", async () => {
    const names = async (query: string, who: Person) => {
      const page = await get(membersLoader, `/staff/members?${query}`, who);
      const data = page.data as { rows: { displayName: string }[]; segment: unknown; total: number };
      return { names: data.rows.map((r) => r.displayName).sort(), segment: data.segment };
    };
    expect(await names(`segment=${phinLoyal}&manager=all`, admin)).toEqual({ names: ["An Loyal", "Châu Loyal"], segment: { id: phinLoyal, name: "Loyal Phin owners" } });
    expect(await names(`segment=${phinLoyal}`, mai)).toMatchObject({ names: ["An Loyal"] });
    expect(await names(`segment=${phinLoyal}&stage=build`, admin)).toMatchObject({ names: [] });

    const csv = await csvOf(`/staff/members.csv?segment=${phinLoyal}&manager=all&sort=name`, admin);
    expect(csv.status).toBe(200);
    expect(csv.lines.slice(1).map((l) => l.split(",")[0])).toEqual(["An Loyal", "Châu Loyal"]);
    expect((await csvOf(`/staff/members.csv?segment=${phinLoyal}`, nam)).lines).toHaveLength(2); // header and Nam's one
  });

  it("leaves an unknown or archived segment out of the page with a notice, and answers the CSV with 404 rather than export more than asked", async () => {
    const all = await names("manager=all", admin);
    const unknown = await get(membersLoader, "/staff/members?segment=gone&manager=all", admin);
    expect(unknown.data).toMatchObject({ segment: "unknown", total: all });
    expect((await csvOf("/staff/members.csv?segment=gone", admin)).status).toBe(404);
    async function names(query: string, who: Person) {
      return ((await get(membersLoader, `/staff/members?${query}`, who)).data as { total: number }).total;
    }
  });
});
