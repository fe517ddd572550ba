import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { REVIEW_SORTS } from "~/modules/products/product-schemas";
import { useT } from "~/utils/i18n";
import type { ProductPageData, Review } from "./use-product-page";

/** The reviews: sort and star filter (a plain GET form), the list, and its pages. */
export function ReviewsSection({
  reviews,
  filters,
  query,
  renderReview,
}: {
  reviews: ProductPageData["reviews"];
  filters: ProductPageData["filters"];
  /** The list's address with these changes, from the page's hook. */
  query: (changes: Record<string, string | number | null>) => string;
  renderReview: (review: Review) => ReactNode;
}) {
  const t = useT();
  return (
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
  );
}
