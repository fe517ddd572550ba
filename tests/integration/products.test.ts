import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { getProductBySlug, listProducts, saveProduct, saveProductCategory, uploadProductImage } from "../../app/modules/products/catalogue.server.ts";
import { listOwners, ownedProducts, recordOwners, removeOwner } from "../../app/modules/products/ownership.server.ts";
import { listTimeline } from "../../app/modules/timeline/touchpoints.server.ts";
import { createAdmin, createMember, createStaff } from "../factories/actors.ts";
import { createProduct } from "../factories/co-creation.ts";
import { servicesForThisFile } from "../support/services.ts";

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
    expect(await uploadProductImage(services, admin.actor, product.id, { bytes: Buffer.from("<svg onload=alert(1)>") })).toEqual({ ok: false, error: "wrongType" });
    const result = await uploadProductImage(services, admin.actor, product.id, { bytes: png });
    if (!result.ok) throw new Error(result.error);
    const stored = await services.storage.get(result.key);
    expect(stored?.contentType).toBe("image/webp");
    expect((await sharp(stored!.bytes).metadata()).width).toBe(1200);
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

    const result = await recordOwners(services, manager.actor, product.id, `${mine.email}\n@${alsoMine.username}, ${notMine.email}; nobody@example.test`);
    expect(result).toEqual({
      ok: true,
      report: { recorded: [mine.displayName, alsoMine.displayName], already: [], unknown: ["nobody@example.test"], notYours: [notMine.displayName] },
    });
  });

  it("recording is the member's touchpoint and an audited action; a second time says 'already'; members cannot record", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const product = await createProduct(services.db, { slug: "den-cam-trai" });
    expect(await recordOwners(services, member.actor, product.id, member.email)).toEqual({ ok: false, error: "notAllowed" });
    expect(await recordOwners(services, manager.actor, product.id, " \n ")).toEqual({ ok: false, error: "empty" });
    await recordOwners(services, manager.actor, product.id, member.email);
    expect(await recordOwners(services, manager.actor, product.id, member.email)).toMatchObject({ ok: true, report: { recorded: [], already: [member.displayName] } });

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
    expect(await removeOwner(services, (await createStaff(services.db)).actor, product.id, member.id)).toEqual({ ok: false, error: "notAllowed" });
    expect(await removeOwner(services, admin.actor, product.id, member.id)).toEqual({ ok: true });
    expect(await ownedProducts(services.db, member.id)).toEqual([]);
    expect((await listTimeline(services.db, member.id, { kinds: ["product.owner_removed"] })).items).toHaveLength(1);
  });
});
