import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { StatusBadge, VoteBox } from "~/components/idea-bits";
import { hasPermission } from "~/modules/policy/permissions";
import { IDEA_SORTS, IDEA_STATUS_FILTERS, VOTABLE_STATUSES, type IdeaSort } from "~/modules/ideas/idea-schemas";
import { listIdeas } from "~/modules/ideas/ideas.server";
import { listProducts } from "~/modules/products/catalogue.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const param = (name: string) => url.searchParams.get(name) ?? "";
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const filters = {
    sort: ((IDEA_SORTS as readonly string[]).includes(param("sort")) ? param("sort") : "trending") as IdeaSort,
    status: (IDEA_STATUS_FILTERS as readonly string[]).includes(param("status")) ? param("status") : "active",
    product: param("product") || null,
    scope: viewer && (param("scope") === "mine" || param("scope") === "voted") ? (param("scope") as "mine" | "voted") : ("all" as const),
    page: Math.max(1, Number(param("page")) || 1),
  };
  const [ideas, products] = await Promise.all([
    listIdeas(context.services.db, context.services.clock.now(), {
      sort: filters.sort, status: filters.status, productSlug: filters.product, scope: filters.scope, page: filters.page, viewerId: viewer?.id ?? null,
    }),
    listProducts(context.services.db, { locale: context.locale }),
  ]);
  return {
    ideas,
    products: products.map((p) => ({ slug: p.slug, nameVi: p.nameVi, nameEn: p.nameEn })),
    filters,
    here: url.pathname + url.search,
    canVote: hasPermission(viewer, "idea:vote:any"),
    loggedIn: !!viewer,
  };
}

export const meta: MetaFunction = () => [{ title: "Ideas · Rapport" }];

export default function IdeasPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { ideas, products, filters, here, canVote, loggedIn } = useLoaderData<typeof loader>();
  const link = (changes: Record<string, string | number | null>) => {
    const params = new URLSearchParams();
    const next = { sort: filters.sort, status: filters.status, product: filters.product, scope: filters.scope, page: null, ...changes } as Record<string, string | number | null>;
    const defaults: Record<string, string> = { sort: "trending", status: "active", scope: "all" };
    for (const [k, v] of Object.entries(next)) if (v !== null && v !== "" && defaults[k] !== v) params.set(k, String(v));
    const s = params.toString();
    return s ? `/ideas?${s}` : "/ideas";
  };
  return (
    <div className="stack">
      <header className="stack">
        <h1>{t("ideas.title")}</h1>
        <p className="lead">{t("ideas.intro")}</p>
        <p className="toolbar">
          {loggedIn ? (
            <Link to="/ideas/new" className="button button--primary">
              {t("ideas.suggest")}
            </Link>
          ) : (
            <Link to={`/login?redirectTo=${encodeURIComponent("/ideas/new")}`} className="button button--primary">
              {t("ideas.loginToSuggest")}
            </Link>
          )}
          <Link to="/ideas/roadmap" className="button">
            {t("roadmap.title")}
          </Link>
        </p>
      </header>
      <nav aria-label={t("ideas.sortLabel")} className="toolbar">
        {IDEA_SORTS.map((s) => (
          <Link key={s} to={link({ sort: s })} className="button button--ghost" aria-current={filters.sort === s ? "page" : undefined}>
            {t(`ideas.sort.${s}`)}
          </Link>
        ))}
        {loggedIn
          ? (["all", "mine", "voted"] as const).map((scope) => (
              <Link key={scope} to={link({ scope })} className="button button--ghost" aria-current={filters.scope === scope ? "page" : undefined}>
                {t(`ideas.scope.${scope}`)}
              </Link>
            ))
          : null}
      </nav>
      <Form method="get" className="filters" aria-label={t("ideas.filters")}>
        <input type="hidden" name="sort" value={filters.sort} />
        <input type="hidden" name="scope" value={filters.scope} />
        <div className="field">
          <label htmlFor="ideas-status">{t("ideas.statusFilter")}</label>
          <select id="ideas-status" name="status" defaultValue={filters.status}>
            {IDEA_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === "active" ? t("ideas.status.active") : s === "all" ? t("ideas.status.all") : t(`idea.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ideas-product">{t("ideas.product")}</label>
          <select id="ideas-product" name="product" defaultValue={filters.product ?? ""}>
            <option value="">{t("ideas.allProducts")}</option>
            {products.map((p) => (
              <option key={p.slug} value={p.slug}>
                {localized(p, locale).name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("products.apply")}
        </button>
      </Form>
      <p className="muted" role="status">
        {t("ideas.count", { count: ideas.total })}
      </p>
      {ideas.items.length === 0 ? (
        <p>{filters.scope === "mine" ? t("ideas.noneMine") : filters.scope === "voted" ? t("ideas.noneVoted") : t("ideas.none")}</p>
      ) : (
        <ol className="idea-list">
          {ideas.items.map((idea) => (
            <li key={idea.id} className="card idea-row">
              <VoteBox
                ideaId={idea.id}
                title={idea.title}
                votes={idea.voteCount}
                voted={idea.voted}
                canVote={canVote && VOTABLE_STATUSES.includes(idea.status)}
                redirectTo={here}
              />
              <div className="stack">
                <h2 className="review__title">
                  <Link to={`/ideas/${idea.id}`}>{idea.title}</Link>
                </h2>
                <p className="muted small">
                  <StatusBadge status={idea.status} /> · {idea.author.deletedAt ? t("member.former") : idea.author.displayName} ·{" "}
                  <time dateTime={new Date(idea.createdAt).toISOString()}>{dates.date(idea.createdAt)}</time>
                  {idea.product ? ` · ${localized(idea.product, locale).name}` : ""} · {t("ideas.comments", { count: idea.commentCount })}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pager page={ideas.page} pages={ideas.pages} hrefFor={(page) => link({ page })} label={t("ideas.pages")} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
