import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IdeaListItem } from "~/components/idea-bits";
import { Pager } from "~/components/pager";
import { FieldErrors } from "~/components/field";
import { MarkdownEditor } from "~/components/markdown-editor";
import { RatingHistogram, StarDisplay, StarRatingInput, formatStars } from "~/components/stars";
import { can } from "~/modules/policy/can";
import { getProductBySlug } from "~/modules/products/catalogue.server";
import { topIdeasFor } from "~/modules/ideas/ideas.server";
import { REPORT_REASONS, REVIEW_SORTS, type ReviewSort } from "~/modules/products/product-schemas";
import { listReviews, myReview, responseSource } from "~/modules/products/reviews.server";
import { deleteReview, editReview, reportReview, respondToReview, setReviewHidden, toggleHelpful, writeReview } from "~/modules/products/review-commands.server";
import type { Actor } from "~/modules/policy/actor";
import type { Failure } from "~/modules/commands/failure";
import { requireUser } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import { z } from "zod";

function readFilters(url: URL) {
  const sort = url.searchParams.get("sort");
  const stars = Number(url.searchParams.get("stars"));
  return {
    sort: ((REVIEW_SORTS as readonly string[]).includes(sort ?? "") ? sort : "helpful") as ReviewSort,
    stars: Number.isInteger(stars) && stars >= 1 && stars <= 5 ? stars : null,
    page: Math.max(1, Number(url.searchParams.get("page")) || 1),
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const product = await getProductBySlug(context.services.db, params.slug ?? "");
  if (!product) throw new Response("Not found", { status: 404 });
  const filters = readFilters(new URL(request.url));
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const canRespond = can(viewer, "review.respond");
  const [reviews, mine, ideas] = await Promise.all([
    listReviews(context.services.db, product.id, { ...filters, viewer }),
    viewer ? myReview(context.services.db, product.id, viewer.id) : Promise.resolve(null),
    topIdeasFor(context.services.db, product.id),
  ]);
  return {
    product,
    reviews,
    mine,
    ideas,
    filters,
    viewer,
    responses: canRespond ? await responseSource(context.services.db, reviews.items.map((r) => r.id)) : {},
    can: { respond: canRespond, hide: can(viewer, "review.moderate"), write: can(viewer, "review.write") },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.product.nameEn} · Rapport` : "Rapport" }];

type ActionResult = {
  intent: string;
  reviewId: string | null;
  fieldErrors: Record<string, string[] | undefined>;
  formError: string | null;
  values: Record<string, string>;
  done: MessageKey | null;
};

/** The page's forms, each an intent: parsed once, then one command runs it. */
const Intent = z.enum(["write", "edit", "delete", "helpful", "report", "respond", "hide", "restore"]);
type Intent = z.infer<typeof Intent>;

type FormFields = Record<string, string>;
type Run = { services: AppLoadContext["services"]; actor: Actor; product: { id: string; slug: string }; reviewId: string; form: FormFields; back: (hash: string) => string };
/** Where the browser goes once the command succeeded, or the note the page shows in place. */
type Ran = { ran: { ok: true; reviewId?: string } | Failure; next: string } | { ran: { ok: true } | Failure; done: MessageKey };

const INTENTS: Record<Intent, (run: Run) => Promise<Ran>> = {
  write: async ({ services, actor, product, form }) => {
    const ran = await writeReview(services, actor, { ...form, productId: product.id });
    return { ran, next: ran.ok ? `/products/${product.slug}?sort=newest#review-${ran.reviewId}` : "" };
  },
  edit: async ({ services, actor, reviewId, form, back }) => ({ ran: await editReview(services, actor, { ...form, reviewId }), next: back(`#review-${reviewId}`) }),
  delete: async ({ services, actor, reviewId, back }) => ({ ran: await deleteReview(services, actor, { reviewId }), next: back("#write-review") }),
  helpful: async ({ services, actor, reviewId, back }) => ({ ran: await toggleHelpful(services, actor, { reviewId }), next: back(`#review-${reviewId}`) }),
  report: async ({ services, actor, reviewId, form }) => ({ ran: await reportReview(services, actor, { ...form, reviewId }), done: "review.reported" }),
  respond: async ({ services, actor, reviewId, form, back }) => ({ ran: await respondToReview(services, actor, { ...form, reviewId }), next: back(`#review-${reviewId}`) }),
  hide: async ({ services, actor, reviewId, back }) => ({ ran: await setReviewHidden(services, actor, { reviewId, hidden: true }), next: back(`#review-${reviewId}`) }),
  restore: async ({ services, actor, reviewId, back }) => ({ ran: await setReviewHidden(services, actor, { reviewId, hidden: false }), next: back(`#review-${reviewId}`) }),
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const product = await getProductBySlug(context.services.db, params.slug ?? "");
  if (!product) throw new Response("Not found", { status: 404 });
  const form = Object.fromEntries(await request.formData()) as FormFields;
  const intent = Intent.safeParse(form.intent);
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const reviewId = form.reviewId || null;
  const here = new URL(request.url);
  const back = (hash: string) => `${here.pathname}${here.search}${hash}`;
  const actor = { id: user.id, role: user.role };
  const result = await INTENTS[intent.data]({ services: context.services, actor, product, reviewId: reviewId ?? "", form, back });
  const page = { intent: intent.data as string, reviewId, values: form, done: null as MessageKey | null };
  if (!result.ran.ok) return refuse(result.ran, context.locale, page, { messages: "review.error" });
  if ("done" in result) return { ...page, values: {} as FormFields, fieldErrors: {} as Record<string, string[]>, formError: null, done: result.done };
  throw redirect(result.next);
}

type Review = ReturnType<typeof useLoaderData<typeof loader>>["reviews"]["items"][number];

export default function ProductPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { product, reviews, mine, ideas, filters, viewer, responses, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const text = localized(product, locale);
  const query = (changes: Record<string, string | number | null>) => {
    const params = new URLSearchParams();
    const next = { sort: filters.sort, stars: filters.stars, page: null, ...changes } as Record<string, string | number | null>;
    for (const [k, v] of Object.entries(next)) if (v !== null && !(k === "sort" && v === "helpful")) params.set(k, String(v));
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  const errorsFor = (intent: string, id: string | null) => (actionData && actionData.intent === intent && actionData.reviewId === id ? actionData : null);
  const writeErrors = errorsFor("write", null);
  const editErrors = mine ? errorsFor("edit", mine.id) : null;
  return (
    <article className="stack" aria-labelledby="product-title">
      <p>
        <Link to="/products">← {t("products.back")}</Link>
      </p>
      <header className="media product-hero">
        {product.image ? <img src={product.image} alt={t("products.imageOf", { name: text.name })} className="product-hero__image" /> : null}
        <div className="stack">
          <h1 id="product-title">{text.name}</h1>
          <p className="muted">
            {product.category ? localized(product.category, locale).name : t("products.uncategorized")}
            {product.status === "retired" ? (
              <>
                {" "}
                <span className="badge">{t("products.retired")}</span>
              </>
            ) : null}
          </p>
          {text.description ? <p className="product-hero__description">{text.description}</p> : null}
        </div>
      </header>
      {product.status === "retired" ? <p className="notice">{t("products.retiredNotice")}</p> : null}

      <section className="card rating-summary" aria-labelledby="rating-title">
        <div>
          <h2 id="rating-title" className="visually-hidden">
            {t("review.summaryTitle")}
          </h2>
          <p className="rating-summary__average">{product.rating.average !== null ? formatStars(product.rating.average) : "—"}</p>
          <StarDisplay value={product.rating.average} size="lg" />
          <p className="muted">{t("review.basedOn", { count: product.rating.count })}</p>
        </div>
        <RatingHistogram histogram={product.rating.histogram} total={product.rating.count} current={filters.stars} linkFor={(stars) => `${query({ stars })}#reviews`} />
      </section>

      <section className="card stack" aria-labelledby="product-ideas-title">
        <h2 id="product-ideas-title">{t("products.ideasTitle")}</h2>
        {ideas.length === 0 ? <p className="muted">{t("products.noIdeas")}</p> : null}
        <ul>
          {ideas.map((idea) => (
            <IdeaListItem key={idea.id} idea={idea} />
          ))}
        </ul>
        <p className="toolbar">
          {product.status === "active" ? (
            <Link to={`/ideas/new?product=${product.slug}`} className="button">
              {t("products.suggestIdea")}
            </Link>
          ) : null}
          <Link to={`/ideas?product=${product.slug}&status=all`}>{t("products.allIdeas")}</Link>
        </p>
      </section>

      <section className="card stack" id="write-review" aria-labelledby="write-title">
        <h2 id="write-title">{mine ? t("review.yours") : t("review.write")}</h2>
        {!viewer ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/products/${product.slug}#write-review`)}`}>{t("review.loginToWrite")}</Link>
          </p>
        ) : mine ? (
          <>
            <p className="muted">{t("review.oneReviewNote")}</p>
            <details open={!!editErrors}>
              <summary>{t("review.editYours")}</summary>
              {renderReviewForm("edit", editErrors, { rating: String(mine.rating), title: mine.title, body: mine.bodyMarkdown }, mine.id)}
            </details>
            <Form method="post" onSubmit={(e) => !confirm(t("review.deleteConfirm")) && e.preventDefault()}>
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="reviewId" value={mine.id} />
              <button type="submit" className="button button--ghost">
                {t("review.delete")}
              </button>
            </Form>
          </>
        ) : product.status === "retired" ? (
          <p className="muted">{t("products.retiredNotice")}</p>
        ) : can.write ? (
          renderReviewForm("write", writeErrors, { rating: "", title: "", body: "" }, null)
        ) : null}
      </section>

      <section className="stack" id="reviews" aria-labelledby="reviews-title">
        <h2 id="reviews-title">{t("review.listTitle", { count: reviews.total })}</h2>
        <Form method="get" className="filters" aria-label={t("review.sortAndFilter")}>
          <div className="field">
            <label htmlFor="review-sort">{t("products.sort")}</label>
            <select id="review-sort" name="sort" defaultValue={filters.sort}>
              {REVIEW_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`review.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="review-stars">{t("review.filterStars")}</label>
            <select id="review-stars" name="stars" defaultValue={filters.stars ?? ""}>
              <option value="">{t("review.allStars")}</option>
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {t("review.nStars", { count: n })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("products.apply")}
          </button>
        </Form>
        {filters.stars ? (
          <p>
            {t("review.showingStars", { count: filters.stars })} <Link to={`${query({ stars: null })}#reviews`}>{t("review.showAll")}</Link>
          </p>
        ) : null}
        {reviews.items.length === 0 ? (
          <p>{filters.stars ? t("review.noneWithStars") : t("review.none")}</p>
        ) : (
          <ol className="review-list">
            {reviews.items.map((review) => (
              <li key={review.id}>{renderReview(review)}</li>
            ))}
          </ol>
        )}
        <Pager page={reviews.page} pages={reviews.pages} hrefFor={(page) => `${query({ page })}#reviews`} label={t("review.pages")} />
      </section>
    </article>
  );

  function renderReviewForm(intent: "write" | "edit", errors: ActionResult | null, initial: Record<string, string>, reviewId: string | null) {
    const values = errors?.values ?? initial;
    const prefix = `${intent}-review`;
    return (
      <Form method="post" className="stack" key={`${intent}-${reviewId ?? "new"}`}>
        <input type="hidden" name="intent" value={intent} />
        {reviewId ? <input type="hidden" name="reviewId" value={reviewId} /> : null}
        {errors?.formError ? (
          <p role="alert" className="notice notice--error">
            {errors.formError}
          </p>
        ) : null}
        <StarRatingInput name="rating" legend={t("review.yourRating")} defaultValue={Number(values.rating) || undefined} errors={errors?.fieldErrors.rating} />
        <div className="field">
          <label htmlFor={`${prefix}-title`}>{t("review.title")}</label>
          <input
            id={`${prefix}-title`}
            name="title"
            defaultValue={values.title}
            maxLength={120}
            required
            aria-invalid={errors?.fieldErrors.title ? true : undefined}
            aria-describedby={errors?.fieldErrors.title ? `${prefix}-title-error` : undefined}
          />
          <FieldErrors id={`${prefix}-title-error`} errors={errors?.fieldErrors.title} translate={(e) => translateError(t, e)} />
        </div>
        <MarkdownEditor id={`${prefix}-body`} name="body" label={t("review.body")} defaultValue={values.body} errors={errors?.fieldErrors.body} rows={6} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {intent === "write" ? t("review.submit") : t("review.saveEdit")}
        </button>
      </Form>
    );
  }

  function renderReview(review: Review) {
    const name = review.author.deletedAt ? t("member.former") : review.author.displayName;
    const own = viewer?.id === review.author.id;
    const respondErrors = errorsFor("respond", review.id);
    const reportState = errorsFor("report", review.id);
    const otherError = actionData && actionData.reviewId === review.id && !["respond", "report"].includes(actionData.intent) ? actionData.formError : null;
    return (
      <article className="card review" id={`review-${review.id}`} aria-labelledby={`review-${review.id}-title`}>
        <header className="review__head">
          <StarDisplay value={review.rating} size="sm" />
          <h3 className="review__title" id={`review-${review.id}-title`}>
            {review.title}
          </h3>
          {review.hiddenAt ? <span className="badge badge--staff">{t("review.hiddenBadge")}</span> : null}
        </header>
        <p className="review__head muted small">
          <Avatar name={name} url={review.author.avatar} size="sm" />
          <span>
            {review.author.deletedAt ? name : <Link to={`/community/u/${review.author.username}`}>{name}</Link>}
            {review.verifiedOwner ? (
              <>
                {" "}
                <span className="badge badge--member">✓ {t("review.verifiedOwner")}</span>
              </>
            ) : null}{" "}
            · <time dateTime={new Date(review.createdAt).toISOString()}>{dates.date(review.createdAt)}</time>
            {review.editedAt ? ` · ${t("review.edited")}` : ""}
          </span>
        </p>
        {/* Safe: rendered and stored by our markdown renderer (html: false, link allow-list). */}
        <div className="prose" dangerouslySetInnerHTML={{ __html: review.bodyHtml }} />
        {review.responseHtml ? (
          <section className="review__response" aria-label={t("review.responseFrom", { name: review.responder?.displayName ?? t("app.name") })}>
            <p className="small">
              <strong>{t("review.officialResponse")}</strong>{" "}
              <span className="muted">
                {review.responder?.displayName ?? ""}
                {review.respondedAt ? ` · ${dates.date(review.respondedAt)}` : ""}
                {review.responseEditedAt ? ` · ${t("review.edited")}` : ""}
              </span>
            </p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: review.responseHtml }} />
          </section>
        ) : null}
        {otherError ? (
          <p role="alert" className="notice notice--error">
            {otherError}
          </p>
        ) : null}
        <footer className="toolbar">
          <span className="muted small">{t("review.helpfulCount", { count: review.helpfulCount })}</span>
          {viewer && !own && !review.hiddenAt ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="helpful" />
              <input type="hidden" name="reviewId" value={review.id} />
              <button type="submit" className="button" aria-pressed={review.votedHelpful}>
                {t("review.helpful")}
              </button>
            </Form>
          ) : null}
          {viewer && !own ? (
            <details open={!!reportState}>
              <summary>{t("review.report")}</summary>
              {reportState?.done ? (
                <p role="status" className="notice notice--success">
                  {t(reportState.done)}
                </p>
              ) : (
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="report" />
                  <input type="hidden" name="reviewId" value={review.id} />
                  {reportState?.formError ? (
                    <p role="alert" className="notice notice--error">
                      {reportState.formError}
                    </p>
                  ) : null}
                  <div className="field">
                    <label htmlFor={`report-${review.id}-reason`}>{t("review.reportReason")}</label>
                    <select id={`report-${review.id}-reason`} name="reason" required>
                      {REPORT_REASONS.map((r) => (
                        <option key={r} value={r}>
                          {t(`review.reason.${r}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`report-${review.id}-note`}>{t("review.reportNote")}</label>
                    <input id={`report-${review.id}-note`} name="note" maxLength={500} />
                  </div>
                  <button type="submit" className="button">
                    {t("review.sendReport")}
                  </button>
                </Form>
              )}
            </details>
          ) : null}
          {can.hide ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value={review.hiddenAt ? "restore" : "hide"} />
              <input type="hidden" name="reviewId" value={review.id} />
              <button type="submit" className={review.hiddenAt ? "button" : "button button--danger"}>
                {review.hiddenAt ? t("review.restore") : t("review.hide")}
              </button>
            </Form>
          ) : null}
        </footer>
        {can.respond ? (
          <details open={!!respondErrors}>
            <summary>{review.responseHtml ? t("review.editResponse") : t("review.respond")}</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="respond" />
              <input type="hidden" name="reviewId" value={review.id} />
              {respondErrors?.formError ? (
                <p role="alert" className="notice notice--error">
                  {respondErrors.formError}
                </p>
              ) : null}
              <MarkdownEditor
                id={`respond-${review.id}`}
                name="body"
                label={t("review.responseBody")}
                rows={4}
                defaultValue={respondErrors?.values.body ?? responses[review.id] ?? ""}
                errors={respondErrors?.fieldErrors.body}
              />
              <button type="submit" className="button button--primary">
                {t("review.publishResponse")}
              </button>
            </Form>
          </details>
        ) : null}
      </article>
    );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
