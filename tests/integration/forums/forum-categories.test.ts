import { describe, expect, it } from "vitest";
import { saveCategory } from "../../../app/modules/forums/categories.server.ts";
import { listCategories } from "../../../app/modules/forums/forums.server.ts";
import { createUser } from "../../factories/users.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();

const valid = {
  slug: "tin-san-pham",
  nameVi: "Tin sản phẩm",
  nameEn: "Product news",
  descriptionVi: "Tin mới",
  descriptionEn: "What is new",
  color: "#1f5fa8",
  position: "3",
  postingRole: "staff",
  readRole: "everyone",
};

describe("admins manage categories", () => {
  it("an admin creates and edits a category in both languages; the change is audited", async () => {
    const admin = await createUser(services.db, { role: "admin", passwordHash: "x" });
    const created = await saveCategory(services, admin, valid);
    if (!created.ok) throw new Error("save failed");
    expect(await saveCategory(services, admin, { ...valid, id: created.id, nameEn: "Product updates", postingRole: "member" })).toEqual({ ok: true, id: created.id });
    const [category] = await listCategories(services.db, admin);
    expect(category).toMatchObject({ slug: "tin-san-pham", nameVi: "Tin sản phẩm", nameEn: "Product updates", postingRole: "member", color: "#1f5fa8" });
    expect(await services.db.auditLog.count({ where: { action: "forum.category_saved", actorId: admin.id } })).toBe(2);
  });

  it("refuses staff and members, bad slugs, colours and a taken address", async () => {
    const staff = await createUser(services.db, { role: "staff", passwordHash: "x" });
    const admin = await createUser(services.db, { role: "admin", passwordHash: "x" });
    expect(await saveCategory(services, staff, { ...valid, slug: "staff-made" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await saveCategory(services, admin, { ...valid, slug: "Không Hợp Lệ", color: "red" })).toMatchObject({
      ok: false,
      fieldErrors: { slug: ["category.slugInvalid"], color: ["category.colorInvalid"] },
    });
    expect(await saveCategory(services, admin, valid)).toMatchObject({ ok: false, fieldErrors: { slug: ["category.slugTaken"] } });
  });
});
