import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { getProductBySlug, listProducts, saveProduct, saveProductCategory, uploadProductImage } from "../../../app/modules/products/catalogue.server.ts";
import { listOwners, ownedProducts, recordOwners, removeOwner } from "../../../app/modules/products/ownership.server.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createAdmin, createMember, createStaff } from "../../factories/actors.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { ORIGIN, formPost, routeAnswer, routeContext } from "../../support/routes.ts";
import { action as productAdminAction } from "../../../app/routes/staff.products.$productId.tsx";
import { loader as catalogueLoader } from "../../../app/routes/products._index.tsx";
import { loader as productLoader } from "../../../app/routes/products.$slug.tsx";
import type { Person } from "../../factories/actors.ts";

const services = servicesForThisFile({ tickMs: 1_000 });

describe("the product catalogue", () => {
  it("admins create products in both languages; bad input comes back as field errors; others are refused", async () => {
    const admin = await createAdmin(services.db, { email: "catalogue-admin@example.test" });
    const staff = await createStaff(services.db);
    const input = { slug: "ao-mua-nhe", nameVi: "Áo mưa siêu nhẹ", nameEn: "Ultralight rain jacket", descriptionVi: "Gấp gọn", descriptionEn: "Packs small", status: "active" };
    expect(await saveProduct(services, staff.actor, input)).toEqual({ ok: false, error: "notAllowed" });
    const bad = await saveProduct(services, admin.actor, { ...input, slug: "Not A Slug", nameEn: "" });
    expect(bad).toMatchObject({ ok: false, error: "invalid", fieldErrors: { slug: ["category.slugInvalid"], nameEn: ["validation.required"] } });
    const category = await saveProductCategory(services, admin.actor, { slug: "outdoor", nameVi: "Dã ngoại", nameEn: "Outdoor" });
    if (!category.ok) throw new Error("category");
    const saved = await saveProduct(services, admin.actor, { ...input, categoryId: category.id });
    expect(saved).toMatchObject({ ok: true, slug: "ao-mua-nhe" });
    expect(await saveProduct(services, admin.actor, { ...input, nameVi: "Khác" })).toMatchObject({ fieldErrors: { slug: ["products.admin.slugTaken"] } });
    expect(await services.db.auditLog.count({ where: { action: { in: ["product.saved", "product.category_saved"] } } })).toBeGreaterThanOrEqual(2);

    const product = await getProductBySlug(services.db, "ao-mua-nhe");
    expect(product).toMatchObject({ nameEn: "Ultralight rain jacket", category: { slug: "outdoor" }, rating: { count: 0, average: null } });
    expect((await listProducts(services.db, { category: "outdoor" })).map((p) => p.slug)).toContain("ao-mua-nhe");
    expect((await listProducts(services.db, { q: "SIÊU NHẸ" })).map((p) => p.slug)).toEqual(["ao-mua-nhe"]);

    if (!saved.ok) throw new Error("save");
    await saveProduct(services, admin.actor, { ...input, id: saved.id, status: "retired" });
    expect((await listProducts(services.db, {})).map((p) => p.slug)).not.toContain("ao-mua-nhe");
    expect((await listProducts(services.db, { includeRetired: true })).map((p) => p.slug)).toContain("ao-mua-nhe");
  });

  it("a product picture is re-encoded to WebP; a file that is not an image is refused", async () => {
    const admin = await createAdmin(services.db, { email: "picture-admin@example.test" });
    const product = await createProduct(services.db, { slug: "binh-giu-nhiet" });
    const png = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#0f5c4d" } }).png().toBuffer();
    expect(await uploadProductImage(services, admin.actor, { productId: product.id, file: { bytes: Buffer.from("<svg onload=alert(1)>") } })).toEqual({ ok: false, error: "wrongType" });
    const result = await uploadProductImage(services, admin.actor, { productId: product.id, file: { bytes: png } });
    if (!result.ok) throw new Error(result.error);
    const stored = await services.storage.get(result.key);
    expect(stored?.contentType).toBe("image/webp");
    expect((await sharp(stored!.bytes).metadata()).width).toBe(1200);
  });
});

describe("a product picture uploaded from the staff page", () => {
  const upload = (person: Person, productId: string, file: Blob | null) => {
    const form = new FormData();
    if (file) form.append("image", file, "picture");
    const request = new Request(`${ORIGIN}/staff/products/${productId}`, { method: "POST", body: form });
    return routeAnswer(() => productAdminAction({ request, context: routeContext(services, person), params: { productId } }));
  };

  it("wrong types, empty and oversized files get a reason beside the field; a picture is shown on the catalogue and the product page", async () => {
    const admin = await createAdmin(services.db, { email: "picture-route-admin@example.test" });
    const product = await createProduct(services.db, { slug: "ghe-xep-nho" });
    const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
    expect(await upload(admin, product.id, new Blob([gif], { type: "image/png" }))).toMatchObject({
      status: 415,
      data: { form: "image", fieldErrors: { image: ["products.admin.imageWrongType"] } },
    });
    expect(await upload(admin, product.id, null)).toMatchObject({ status: 400, data: { fieldErrors: { image: ["products.admin.imageMissing"] } } });
    expect(await upload(admin, product.id, new Blob([Buffer.alloc(4 * 1024 * 1024 + 1)], { type: "image/png" }))).toMatchObject({
      status: 413,
      data: { fieldErrors: { image: ["products.admin.imageTooLarge"] } },
    });
    expect((await services.db.product.findUniqueOrThrow({ where: { id: product.id } })).imageKey).toBeNull();

    const jpeg = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: "#d0632f" } }).jpeg().toBuffer();
    expect(await upload(admin, product.id, new Blob([jpeg], { type: "image/jpeg" }))).toMatchObject({ status: 200, data: { message: "products.admin.imageSaved", fieldErrors: {} } });
    const guest = routeContext(services, null);
    const catalogue = await routeAnswer(() => catalogueLoader({ request: new Request(`${ORIGIN}/products`), context: guest, params: {} }));
    const card = (catalogue.data as { products: { slug: string; image: string | null }[] }).products.find((p) => p.slug === "ghe-xep-nho");
    expect(card?.image).toMatch(/^\/uploads\/products\/ghexepnho-[0-9a-f]+\.webp$/);
    const page = await routeAnswer(() => productLoader({ request: new Request(`${ORIGIN}/products/ghe-xep-nho`), context: guest, params: { slug: "ghe-xep-nho" } }));
    expect((page.data as { product: { image: string | null } }).product.image).toBe(card!.image);
    const stored = await services.storage.get(card!.image!.replace("/uploads/", ""));
    expect(await sharp(stored!.bytes).metadata()).toMatchObject({ format: "webp", width: 1200, height: 600 });
  });

  it("staff who do not manage products are refused", async () => {
    const staff = await createStaff(services.db);
    const product = await createProduct(services.db, { slug: "ghe-xep-lon" });
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } }).png().toBuffer();
    expect(await upload(staff, product.id, new Blob([png], { type: "image/png" }))).toMatchObject({ status: 403 });
  });
});

describe("verified owners", () => {
  it("staff record their own members in bulk; others' members and unknown names are reported, not recorded", async () => {
    const manager = await createStaff(services.db);
    const otherManager = await createStaff(services.db);
    const mine = await createMember(services.db, { accountManagerId: manager.id });
    const alsoMine = await createMember(services.db, { accountManagerId: manager.id });
    const notMine = await createMember(services.db, { accountManagerId: otherManager.id });
    const product = await createProduct(services.db, { slug: "may-pha-ca-phe" });

    const result = await recordOwners(services, manager.actor, { productId: product.id, members: `${mine.email}\n@${alsoMine.username}, ${notMine.email}; nobody@example.test` });
    expect(result).toEqual({
      ok: true,
      report: { recorded: [mine.displayName, alsoMine.displayName], already: [], unknown: ["nobody@example.test"], notYours: [notMine.displayName] },
    });
  });

  it("recording is the member's touchpoint and an audited action; a second time says 'already'; members cannot record", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const product = await createProduct(services.db, { slug: "den-cam-trai" });
    expect(await recordOwners(services, member.actor, { productId: product.id, members: member.email })).toEqual({ ok: false, error: "notAllowed" });
    expect(await recordOwners(services, manager.actor, { productId: product.id, members: " \n " })).toEqual({ ok: false, error: "empty" });
    await recordOwners(services, manager.actor, { productId: product.id, members: member.email });
    expect(await recordOwners(services, manager.actor, { productId: product.id, members: member.email })).toMatchObject({ ok: true, report: { recorded: [], already: [member.displayName] } });

    const timeline = await listTimeline(services.db, member.id, { kinds: ["product.owner_recorded"] });
    expect(timeline.items).toHaveLength(1);
    expect(timeline.items[0]).toMatchObject({ actor: { id: manager.id }, data: { link: "/products/den-cam-trai" } });
    expect(await services.db.auditLog.count({ where: { action: "product.owner_recorded", targetMemberId: member.id } })).toBe(1);

    const mine = await ownedProducts(services.db, member.id);
    expect(mine.map((p) => p.slug)).toEqual(["den-cam-trai"]);
    expect(await listOwners(services.db, manager.actor, product.id)).toHaveLength(1);
    expect(await listOwners(services.db, (await createStaff(services.db)).actor, product.id)).toHaveLength(0);
    expect(await listOwners(services.db, member.actor, product.id)).toHaveLength(0);

    const admin = await createAdmin(services.db, { email: "owners-admin@example.test" });
    expect(await removeOwner(services, (await createStaff(services.db)).actor, { productId: product.id, memberId: member.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await removeOwner(services, admin.actor, { productId: product.id, memberId: member.id })).toEqual({ ok: true });
    expect(await ownedProducts(services.db, member.id)).toEqual([]);
    expect((await listTimeline(services.db, member.id, { kinds: ["product.owner_removed"] })).items).toHaveLength(1);
  });
});

describe("the owners form on the staff page", () => {
  const post = (person: Person, productId: string, fields: Record<string, string>) =>
    routeAnswer(() => productAdminAction({ request: formPost(`/staff/products/${productId}`, fields), context: routeContext(services, person), params: { productId } }));

  it("a refused list is told beside the field and kept; another manager's member is not removed; recording reports who was recorded", async () => {
    const manager = await createStaff(services.db);
    const otherManager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: otherManager.id });
    const product = await createProduct(services.db, { slug: "ao-khoac-gio" });
    expect(await post(manager, product.id, { intent: "record-owners", members: " ; " })).toMatchObject({
      status: 400,
      data: { form: "owners", formError: "Write at least one email or username.", values: { members: " ; " } },
    });
    expect(await post(otherManager, product.id, { intent: "record-owners", members: member.email })).toMatchObject({ status: 200, data: { report: { recorded: [member.displayName] } } });
    expect(await post(manager, product.id, { intent: "remove-owner", memberId: member.id })).toMatchObject({ status: 403, data: { form: "owners", formError: "You can't do that here." } });
    expect(await post(otherManager, product.id, { intent: "remove-owner", memberId: member.id })).toMatchObject({ status: 302, location: `/staff/products/${product.id}` });
    expect(await ownedProducts(services.db, member.id)).toEqual([]);
  });
});
