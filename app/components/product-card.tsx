import { Link } from "@remix-run/react";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import { StarDisplay, formatStars } from "./stars";

export interface ProductCardData {
  id: string;
  slug: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  status: string;
  image: string | null;
  category: { nameVi: string; nameEn: string } | null;
  rating: { average: number | null; count: number };
}

/** A product in a grid (the catalogue, the guest home): picture, name in the reader's language, category and stars. */
export function ProductCard({ product: p, heading: Heading = "h2" }: { product: ProductCardData; heading?: "h2" | "h3" }) {
  const t = useT();
  const locale = useLocale();
  const { name, description } = localized(p, locale);
  return (
    <li className="card product-card">
      {p.image ? <img src={p.image} alt={t("products.imageOf", { name })} className="product-card__image" loading="lazy" /> : <div className="product-card__image product-card__image--empty" aria-hidden="true" />}
      <Heading className="product-card__name">
        <Link to={`/products/${p.slug}`}>{name}</Link>
      </Heading>
      <p className="muted small">
        {p.category ? localized(p.category, locale).name : t("products.uncategorized")}
        {p.status === "retired" ? (
          <>
            {" "}
            <span className="badge">{t("products.retired")}</span>
          </>
        ) : null}
      </p>
      <p className="product-card__rating">
        <StarDisplay value={p.rating.average} size="sm" />{" "}
        <span>
          {p.rating.average !== null ? formatStars(p.rating.average) : ""} {t("products.reviewCount", { count: p.rating.count })}
        </span>
      </p>
      <p className="product-card__description">{description}</p>
    </li>
  );
}
