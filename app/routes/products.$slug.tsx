import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProductHero } from "~/components/product/product-hero";
import { ProductIdeas } from "~/components/product/product-ideas";
import { RatingSummary } from "~/components/product/rating-summary";
import { ReviewCard } from "~/components/product/review-card";
import { ReviewsSection } from "~/components/product/reviews-section";
import { useProductPage } from "~/components/product/use-product-page";
import { WriteReview } from "~/components/product/write-review";
import { can } from "~/modules/policy/can";
import { getProductBySlug } from "~/modules/products/catalogue.server";
import { topIdeasFor } from "~/modules/ideas/ideas.server";
import { REVIEW_SORTS, type ReviewSort } from "~/modules/products/product-schemas";
import { listReviews, myReview, responseSource } from "~/modules/products/reviews.server";
import { deleteReview, editReview, reportReview, respondToReview, setReviewHidden, toggleHelpful, writeReview } from "~/modules/products/review-commands.server";
import type { Actor } from "~/modules/policy/actor";
import type { Failure } from "~/modules/commands/failure";
import { requireUser } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
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

/** The page: its state lives in useProductPage, the parts render it. */
export default function ProductPage() {
  const page = useProductPage();
  const { product, filters, viewer } = page;
  return (
    <article className="stack" aria-labelledby="product-title">
      <ProductHero product={product} text={page.text} categoryName={page.categoryName} />
      <RatingSummary rating={product.rating} current={filters.stars} linkFor={(stars) => `${page.query({ stars })}#reviews`} />
      <ProductIdeas ideas={page.ideas} product={product} />
      <WriteReview
        product={product}
        signedIn={!!viewer}
        mine={page.mine}
        canWrite={page.can.write}
        writeErrors={page.writeErrors}
        editErrors={page.editErrors}
        busy={page.busy}
      />
      <ReviewsSection
        reviews={page.reviews}
        filters={filters}
        query={page.query}
        renderReview={(review) => (
          <ReviewCard review={review} viewerId={viewer?.id ?? null} can={page.can} response={page.responses[review.id]} state={page.reviewState(review.id)} />
        )}
      />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
