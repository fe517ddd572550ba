import { Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { ProductPageData } from "./use-product-page";

/** The way back to the catalogue, the product's picture, name, category and description, and the notice on a retired one. */
export function ProductHero({
  product,
  text,
  categoryName,
}: {
  product: Pick<ProductPageData["product"], "image" | "status">;
  text: { name: string; description: string };
  categoryName: string | null;
}) {
  const t = useT();
  return (
    <>
      <p>
        <Link to="/products">← {t("products.back")}</Link>
      </p>
      <header className="media product-hero">
        {product.image ? <img src={product.image} alt={t("products.imageOf", { name: text.name })} className="product-hero__image" /> : null}
        <div className="stack">
          <h1 id="product-title">{text.name}</h1>
          <p className="muted">
            {categoryName ?? t("products.uncategorized")}
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
    </>
  );
}
