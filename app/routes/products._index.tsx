import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProductCard } from "~/components/product-card";
import { listProductCategories, listProducts } from "~/modules/products/catalogue.server";
import { PRODUCT_SORTS } from "~/modules/products/product-schemas";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const sort = url.searchParams.get("sort");
  const filters = {
    category: url.searchParams.get("category") || null,
    q: url.searchParams.get("q") || null,
    sort: (PRODUCT_SORTS as readonly string[]).includes(sort ?? "") ? sort : "name",
    includeRetired: url.searchParams.get("retired") === "1",
  };
  const [products, categories] = await Promise.all([
    listProducts(context.services.db, { ...filters, locale: context.locale }),
    listProductCategories(context.services.db),
  ]);
  return { products, categories, filters };
}

export const meta: MetaFunction = () => [{ title: "Products · Rapport" }];

export default function ProductsPage() {
  const t = useT();
  const locale = useLocale();
  const { products, categories, filters } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header className="stack">
        <h1>{t("products.title")}</h1>
        <p className="lead">{t("products.intro")}</p>
      </header>
      <Form method="get" className="filters" aria-label={t("products.filters")}>
        <div className="field">
          <label htmlFor="products-q">{t("products.search")}</label>
          <input id="products-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor="products-category">{t("products.category")}</label>
          <select id="products-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("products.allCategories")}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.slug}>
                {localized(c, locale).name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="products-sort">{t("products.sort")}</label>
          <select id="products-sort" name="sort" defaultValue={filters.sort ?? "name"}>
            {PRODUCT_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`products.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" name="retired" value="1" defaultChecked={filters.includeRetired} /> {t("products.includeRetired")}
        </label>
        <button type="submit" className="button">
          {t("products.apply")}
        </button>
      </Form>
      <p className="muted" role="status">
        {t("products.count", { count: products.length })}
      </p>
      {products.length === 0 ? (
        <p>{t("products.empty")}</p>
      ) : (
        <ul className="product-grid">
          {products.map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
