import { Link } from "@remix-run/react";
import { IdeaListItem } from "~/components/idea-bits";
import { useT } from "~/utils/i18n";
import type { ProductPageData } from "./use-product-page";

/** The product's top ideas, with a way to suggest one (active products only) and to see them all. */
export function ProductIdeas({ ideas, product }: { ideas: ProductPageData["ideas"]; product: Pick<ProductPageData["product"], "slug" | "status"> }) {
  const t = useT();
  return (
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
  );
}
