/** /search?q=: every result the viewer may see, with filters, highlighted snippets and pages. */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { Highlighted } from "~/components/search-box";
import { listCategories } from "~/modules/forums/forums.server";
import { listProducts } from "~/modules/products/catalogue.server";
import { allowSearch, searchContent, unlessUnavailable } from "~/modules/search/search.server";
import { parseSearchInput, SEARCH_MAX_QUERY } from "~/modules/search/search-schema";
import { CONTENT_KINDS, SEARCH_SORTS, type SearchKind } from "~/modules/search/engine";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { isStaffRole } from "~/modules/policy/permissions";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const input = parseSearchInput(url.searchParams);
  const actor = context.user ? { id: context.user.id, role: context.user.role } : null;
  const isStaff = isStaffRole(actor?.role);
  const [categories, products] = await Promise.all([listCategories(context.services.db, context.user), listProducts(context.services.db, { locale: context.locale })]);
  const options = {
    kinds: isStaff ? [...CONTENT_KINDS, "member" as const] : [...CONTENT_KINDS],
    categories: categories.map((c) => ({ id: c.id, nameVi: c.nameVi, nameEn: c.nameEn })),
    products: products.map((p) => ({ id: p.id, nameVi: p.nameVi, nameEn: p.nameEn })),
  };
  const empty = { items: [], total: 0, capped: false, page: 1, pageCount: 0 };
  if (!input.q) return { input, options, result: empty, rateLimited: null, unavailable: false };
  const rate = await allowSearch(context.services, actor, context.ip);
  if (!rate.allowed) return data({ input, options, result: empty, rateLimited: rate.retryAfterSeconds, unavailable: false }, { status: 429 });
  const result = await unlessUnavailable(context.services, context.requestId, () => searchContent(context.services, actor, input));
  if (result) return { input, options, result, rateLimited: null, unavailable: false };
  // The page and the query stay; the reader is told to try again rather than shown "nothing matches".
  return data({ input, options, result: empty, rateLimited: null, unavailable: true }, { status: 503, headers: { "Retry-After": "30" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.input.q ? `${data.input.q} · Rapport` : "Search · Rapport" }];

export default function SearchPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { input, options, result, rateLimited, unavailable } = useLoaderData<typeof loader>();
  const hrefFor = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...input, page })) if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
    return `/search?${params}`;
  };
  return (
    <div className="stack search-page">
      <h1>{t("search.title")}</h1>
      <Form method="get" action="/search" className="stack card search-filters" role="search" aria-label={t("search.title")}>
        <div className="field">
          <label htmlFor="search-q">{t("search.label")}</label>
          <input id="search-q" type="search" name="q" defaultValue={input.q} maxLength={SEARCH_MAX_QUERY} autoComplete="off" />
        </div>
        <fieldset className="search-filters__row">
          <legend>{t("search.filters")}</legend>
          <div className="field">
            <label htmlFor="search-kind">{t("search.kind")}</label>
            <select id="search-kind" name="kind" defaultValue={input.kind ?? ""}>
              <option value="">{t("search.kind.any")}</option>
              {options.kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`search.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-product">{t("search.product")}</label>
            <select id="search-product" name="product" defaultValue={input.product ?? ""}>
              <option value="">{t("search.any")}</option>
              {options.products.map((p) => (
                <option key={p.id} value={p.id}>
                  {localized(p, locale).name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-category">{t("search.category")}</label>
            <select id="search-category" name="category" defaultValue={input.category ?? ""}>
              <option value="">{t("search.any")}</option>
              {options.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {localized(c, locale).name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-from">{t("search.from")}</label>
            <input id="search-from" type="date" name="from" defaultValue={input.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="search-to">{t("search.to")}</label>
            <input id="search-to" type="date" name="to" defaultValue={input.to ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="search-sort">{t("search.sort")}</label>
            <select id="search-sort" name="sort" defaultValue={input.sort ?? "relevance"}>
              {SEARCH_SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t(`search.sort.${sort}`)}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <p>
          <button type="submit" className="button button--primary">
            {t("search.submit")}
          </button>
        </p>
      </Form>
      {rateLimited ? (
        <FormError message={t("search.rateLimited", { seconds: rateLimited })} />
      ) : unavailable ? (
        <FormError message={t("search.unavailable")} />
      ) : !input.q ? (
        <p className="muted">{t("search.empty")}</p>
      ) : result.items.length === 0 ? (
        <p role="status">{t("search.none", { q: input.q })}</p>
      ) : (
        <section className="stack" aria-labelledby="search-results-heading">
          <div role="status">
            <h2 id="search-results-heading">{t(result.capped ? "search.resultsCapped" : "search.results", { count: result.total, q: input.q })}</h2>
          </div>
          <ol className="search-results">
            {result.items.map((item) => (
              <li key={item.id} className="card search-result">
                <p className="search-result__kind muted">
                  {t(`search.kind.${item.kind as SearchKind}` as MessageKey)} · <time dateTime={item.createdAt}>{dates.date(item.createdAt)}</time>
                </p>
                <h3 className="search-result__title">
                  <Link to={item.url}>
                    <Highlighted segments={item.title} />
                  </Link>
                </h3>
                {item.snippet.length ? (
                  <p className="search-result__snippet">
                    <Highlighted segments={item.snippet} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
          <Pager page={result.page} pages={Math.min(result.pageCount, 50)} hrefFor={hrefFor} label={t("search.pages")} />
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
