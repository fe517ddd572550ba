import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { StarDisplay } from "~/components/stars";
import { ownedProducts } from "~/modules/products/ownership.server";
import { requireUser } from "~/utils/auth.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  return { products: await ownedProducts(context.services.db, user.id) };
}

export default function MyProducts() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { products } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("myProducts.title")}</h1>
      <p className="muted">{t("myProducts.intro")}</p>
      {products.length === 0 ? (
        <p>{t("myProducts.empty")}</p>
      ) : (
        <ul className="owned-products">
          {products.map((p) => (
            <li key={p.id} className="card media">
              {p.image ? <img src={p.image} alt={t("products.imageOf", { name: localized(p, locale).name })} className="owned-products__image" /> : null}
              <div className="stack">
                <h2 className="owned-products__name">
                  <Link to={`/products/${p.slug}`}>{localized(p, locale).name}</Link>{" "}
                  <span className="badge badge--member">{t("review.verifiedOwner")}</span>
                </h2>
                <p className="muted small">{t("myProducts.since", { date: dates.date(p.since) })}</p>
                {p.myReview ? (
                  <p>
                    {t("myProducts.yourReview")} <StarDisplay value={p.myReview.rating} size="sm" />{" "}
                    <Link to={`/products/${p.slug}#review-${p.myReview.id}`}>{t("myProducts.seeReview")}</Link>
                  </p>
                ) : p.status === "active" ? (
                  <p>
                    <Link to={`/products/${p.slug}#write-review`} className="button">
                      {t("myProducts.writeReview")}
                    </Link>
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
