import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { localized } from "~/utils/forum";
import { useLocale } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import type { action, loader } from "~/routes/products.$slug";

export type ProductPageData = ReturnType<typeof useLoaderData<typeof loader>>;
export type Review = ProductPageData["reviews"]["items"][number];

/** The action's answer as a form re-shows it: which form (intent and review) it belongs to, its errors and the values sent. */
export type ActionResult = {
  intent: string;
  reviewId: string | null;
  fieldErrors: Record<string, string[] | undefined>;
  formError: string | null;
  values: Record<string, string>;
  done: MessageKey | null;
};

/** What one review's own forms show after a post: the respond and report forms' answers, or another intent's refusal. */
export type ReviewFormState = { respond: ActionResult | null; report: ActionResult | null; otherError: string | null };

/** The product page's state: the loader's data, the last post's answer routed to the form it came from, and the review list's links. */
export function useProductPage() {
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { product, filters, mine } = data;

  /** The review list's address with `changes` applied; a new filter or sort starts again at page 1, and the default sort stays out of the URL. */
  const query = (changes: Record<string, string | number | null>) => {
    const params = new URLSearchParams();
    const next = { sort: filters.sort, stars: filters.stars, page: null, ...changes } as Record<string, string | number | null>;
    for (const [k, v] of Object.entries(next)) if (v !== null && !(k === "sort" && v === "helpful")) params.set(k, String(v));
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  // Each form on the page shows only the answer to its own post.
  const errorsFor = (intent: string, id: string | null) => (actionData && actionData.intent === intent && actionData.reviewId === id ? actionData : null);
  const reviewState = (reviewId: string): ReviewFormState => ({
    respond: errorsFor("respond", reviewId),
    report: errorsFor("report", reviewId),
    otherError: actionData && actionData.reviewId === reviewId && !["respond", "report"].includes(actionData.intent) ? actionData.formError : null,
  });

  return {
    ...data,
    text: localized(product, locale),
    categoryName: product.category ? localized(product.category, locale).name : null,
    busy,
    query,
    writeErrors: errorsFor("write", null),
    editErrors: mine ? errorsFor("edit", mine.id) : null,
    reviewState,
  };
}
