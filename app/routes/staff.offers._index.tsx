import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CountCells, CountHeads, offerText } from "~/components/offers";
import { listOffers } from "~/modules/offers/offers.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  return { offers: await listOffers(context.services, { id: user.id, role: user.role }) };
}

export default function OffersList() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { offers } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t("offers.title")}</h1>
        <Link to="/staff/offers/new" className="button button--primary">
          {t("offers.new")}
        </Link>
      </div>
      <p className="muted">{t("offers.intro")}</p>
      {offers.length === 0 ? (
        <p>{t("offers.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="muted small">{t("offers.countsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("offers.offer")}</th>
                <th scope="col">{t("offers.kind")}</th>
                <th scope="col">{t("offers.valid")}</th>
                <CountHeads />
              </tr>
            </thead>
            <tbody>
              {offers.map((offer) => (
                <tr key={offer.id}>
                  <td>
                    <Link to={`/staff/offers/${offer.id}`}>{offerText(offer, locale).title}</Link>
                  </td>
                  <td>{t(`offer.kind.${offer.kind}`)}</td>
                  <td>{t("offers.validRange", { from: dates.date(offer.validFrom), until: dates.date(offer.validUntil) })}</td>
                  <CountCells counts={offer.counts} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
