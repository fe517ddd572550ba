import { RatingHistogram, StarDisplay, formatStars } from "~/components/stars";
import { useT } from "~/utils/i18n";
import type { ProductPageData } from "./use-product-page";

/** The average, the count and the histogram, whose bars filter the reviews by their stars. */
export function RatingSummary({
  rating,
  current,
  linkFor,
}: {
  rating: ProductPageData["product"]["rating"];
  current: number | null;
  linkFor: (stars: number) => string;
}) {
  const t = useT();
  return (
    <section className="card rating-summary" aria-labelledby="rating-title">
      <div>
        <h2 id="rating-title" className="visually-hidden">
          {t("review.summaryTitle")}
        </h2>
        <p className="rating-summary__average">{rating.average !== null ? formatStars(rating.average) : "—"}</p>
        <StarDisplay value={rating.average} size="lg" />
        <p className="muted">{t("review.basedOn", { count: rating.count })}</p>
      </div>
      <RatingHistogram histogram={rating.histogram} total={rating.count} current={current} linkFor={linkFor} />
    </section>
  );
}
