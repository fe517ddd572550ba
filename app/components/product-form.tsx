import { Form } from "@remix-run/react";
import { labelledFields } from "~/components/field";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";

interface ProductValues {
  id: string;
  slug: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  categoryId: string | null;
  status: string;
}

/** The admin's product form, both languages side by side. At module level so re-renders keep typed text. */
export function ProductForm({
  product,
  categories,
  errors,
  values,
}: {
  product?: ProductValues;
  categories: { id: string; nameVi: string; nameEn: string }[];
  errors?: Record<string, string[] | undefined>;
  /** What the admin typed, when the server refused it. */
  values?: Record<string, string>;
}) {
  const t = useT();
  const locale = useLocale();
  const prefix = product?.id ?? "new-product";
  const value = (name: keyof ProductValues) => values?.[name] ?? product?.[name] ?? "";
  const { field, invalid } = labelledFields(t, prefix, errors);
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="save-product" />
      {product ? <input type="hidden" name="id" value={product.id} /> : null}
      <div className="two-columns">
        {field("nameVi", "products.admin.nameVi", <input id={`${prefix}-nameVi`} name="nameVi" defaultValue={value("nameVi")} required maxLength={80} lang="vi" {...invalid("nameVi")} />)}
        {field("nameEn", "products.admin.nameEn", <input id={`${prefix}-nameEn`} name="nameEn" defaultValue={value("nameEn")} required maxLength={80} lang="en" {...invalid("nameEn")} />)}
        {field("descriptionVi", "products.admin.descriptionVi", <textarea id={`${prefix}-descriptionVi`} name="descriptionVi" defaultValue={value("descriptionVi")} rows={4} lang="vi" {...invalid("descriptionVi")} />)}
        {field("descriptionEn", "products.admin.descriptionEn", <textarea id={`${prefix}-descriptionEn`} name="descriptionEn" defaultValue={value("descriptionEn")} rows={4} lang="en" {...invalid("descriptionEn")} />)}
      </div>
      {field("slug", "products.admin.slug", <input id={`${prefix}-slug`} name="slug" defaultValue={value("slug")} required maxLength={60} pattern="[a-z0-9]+(-[a-z0-9]+)*" {...invalid("slug")} />)}
      {field(
        "categoryId",
        "products.category",
        <select id={`${prefix}-categoryId`} name="categoryId" defaultValue={value("categoryId")} {...invalid("categoryId")}>
          <option value="">{t("products.uncategorized")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {localized(c, locale).name}
            </option>
          ))}
        </select>,
      )}
      {field(
        "status",
        "products.admin.status",
        <select id={`${prefix}-status`} name="status" defaultValue={value("status") || "active"}>
          <option value="active">{t("products.active")}</option>
          <option value="retired">{t("products.retired")}</option>
        </select>,
      )}
      <button type="submit" className="button button--primary">
        {t("products.admin.save")}
      </button>
    </Form>
  );
}
