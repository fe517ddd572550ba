import { Form, Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import { IntentFields } from "./review-bits";
import { ReviewForm } from "./review-form";
import type { ActionResult, ProductPageData } from "./use-product-page";

/**
 * The viewer's own review: a log-in link for visitors, editing and deleting
 * for one who has reviewed (one review per member and product), else the
 * form, unless the product is retired or the viewer may not write.
 */
export function WriteReview({
  product,
  signedIn,
  mine,
  canWrite,
  writeErrors,
  editErrors,
  busy,
}: {
  product: Pick<ProductPageData["product"], "slug" | "status">;
  signedIn: boolean;
  mine: ProductPageData["mine"];
  canWrite: boolean;
  writeErrors: ActionResult | null;
  editErrors: ActionResult | null;
  busy: boolean;
}) {
  const t = useT();
  return (
    <section className="card stack" id="write-review" aria-labelledby="write-title">
      <h2 id="write-title">{mine ? t("review.yours") : t("review.write")}</h2>
      {!signedIn ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/products/${product.slug}#write-review`)}`}>{t("review.loginToWrite")}</Link>
        </p>
      ) : mine ? (
        <>
          <p className="muted">{t("review.oneReviewNote")}</p>
          <details open={!!editErrors}>
            <summary>{t("review.editYours")}</summary>
            <ReviewForm intent="edit" errors={editErrors} initial={{ rating: String(mine.rating), title: mine.title, body: mine.bodyMarkdown }} reviewId={mine.id} busy={busy} />
          </details>
          <Form method="post" onSubmit={(e) => !confirm(t("review.deleteConfirm")) && e.preventDefault()}>
            <IntentFields intent="delete" reviewId={mine.id} />
            <button type="submit" className="button button--ghost">
              {t("review.delete")}
            </button>
          </Form>
        </>
      ) : product.status === "retired" ? (
        <p className="muted">{t("products.retiredNotice")}</p>
      ) : canWrite ? (
        <ReviewForm intent="write" errors={writeErrors} initial={{ rating: "", title: "", body: "" }} reviewId={null} busy={busy} />
      ) : null}
    </section>
  );
}
