import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { ProductForm } from "~/components/product-form";
import { can } from "~/modules/policy/can";
import { listAllProducts, listProductCategories, saveProduct, saveProductCategory } from "~/modules/products/catalogue.server";
import { requirePermission } from "~/utils/auth.server";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { refuse } from "~/utils/refusal.server";
import { z } from "zod";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const [products, categories] = await Promise.all([listAllProducts(context.services.db), listProductCategories(context.services.db)]);
  return { products, categories, canManage: can(user, "product.manage") };
}

/** The page's two forms, parsed once; each runs its command. */
const Intent = z.enum(["save-product", "save-category"]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "product:manage:any");
  const actor = { id: user.id, role: user.role };
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const intent = Intent.safeParse(form.intent);
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  if (intent.data === "save-category") {
    const ran = await saveProductCategory(context.services, actor, { ...form, id: form.id || undefined });
    if (!ran.ok) return refuse(ran, context.locale, { form: "category" as const, values: form, saved: false });
    return { form: "category" as const, fieldErrors: {} as Record<string, string[] | undefined>, values: {} as Record<string, string>, saved: true, formError: null };
  }
  const ran = await saveProduct(context.services, actor, { ...form, id: undefined });
  if (!ran.ok) return refuse(ran, context.locale, { form: "product" as const, values: form, saved: false });
  throw redirect(`/staff/products/${ran.id}?created=1`);
}

export default function ProductsAdmin() {
  const t = useT();
  const locale = useLocale();
  const { products, categories, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const categoryErrors = actionData?.form === "category" ? actionData.fieldErrors : undefined;
  return (
    <div className="stack">
      <h1>{t("products.admin.title")}</h1>
      <p className="muted">{canManage ? t("products.admin.intro") : t("products.admin.introStaff")}</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{t("products.admin.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("products.admin.product")}</th>
              <th scope="col">{t("products.category")}</th>
              <th scope="col">{t("products.admin.status")}</th>
              <th scope="col">{t("products.admin.reviews")}</th>
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/staff/products/${p.id}`}>{localized(p, locale).name}</Link>
                  <span className="muted small"> /{p.slug}</span>
                </td>
                <td>{localized(categories.find((c) => c.id === p.categoryId) ?? { nameVi: "—", nameEn: "—" }, locale).name}</td>
                <td>{p.status === "retired" ? t("products.retired") : t("products.active")}</td>
                <td>{p.reviewCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <>
          <section className="card stack" aria-labelledby="new-product">
            <h2 id="new-product">{t("products.admin.new")}</h2>
            <ProductForm
              categories={categories}
              errors={actionData?.form === "product" ? actionData.fieldErrors : undefined}
              values={actionData?.form === "product" ? actionData.values : undefined}
            />
          </section>
          <section className="card stack" aria-labelledby="product-categories">
            <h2 id="product-categories">{t("products.admin.categories")}</h2>
            {actionData?.form === "category" && actionData.saved ? (
              <p role="status" className="notice notice--success">
                {t("category.saved")}
              </p>
            ) : null}
            <ul>
              {categories.map((c) => (
                <li key={c.id}>
                  {c.nameVi} / {c.nameEn} <span className="muted small">/{c.slug}</span>
                </li>
              ))}
            </ul>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="save-category" />
              <div className="two-columns">
                {(["nameVi", "nameEn", "slug"] as const).map((name) => (
                  <div className="field" key={name}>
                    <label htmlFor={`pc-${name}`}>{t(name === "slug" ? "products.admin.slug" : name === "nameVi" ? "category.nameVi" : "category.nameEn")}</label>
                    <input
                      id={`pc-${name}`}
                      name={name}
                      required
                      defaultValue={actionData?.form === "category" && !actionData.saved ? actionData.values[name] : ""}
                      aria-invalid={categoryErrors?.[name] ? true : undefined}
                      aria-describedby={categoryErrors?.[name] ? `pc-${name}-error` : undefined}
                    />
                    <FieldErrors id={`pc-${name}-error`} errors={categoryErrors?.[name]} translate={(e) => translateError(t, e)} />
                  </div>
                ))}
              </div>
              <button type="submit" className="button">
                {t("products.admin.addCategory")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
