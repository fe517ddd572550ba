import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable, ListPageHead } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CountCells, CountHeads, offerText } from "~/components/offers";
import { listOffers } from "~/modules/offers/offers.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  return {
    offers: await listOffers(context.services, {
      id: user.id,
      role: user.role,
    }),
  };
}

export default function OffersList() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { offers } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListPageHead title={t("offers.title")} create={{ to: "/staff/offers/new", label: t("offers.new") }} intro={t("offers.intro")} />
      {offers.length === 0 ? (
        <p>{t("offers.none")}</p>
      ) : (
        <DataTable caption={<caption className="muted small">{t("offers.countsCaption")}</caption>} heads={[t("offers.offer"), t("offers.kind"), t("offers.valid"), <CountHeads key="counts" />]}>
          {offers.map((offer) => (
            <tr key={offer.id}>
              <td>
                <Link to={`/staff/offers/${offer.id}`}>{offerText(offer, locale).title}</Link>
              </td>
              <td>{t(`offer.kind.${offer.kind}`)}</td>
              <td>
                {t("offers.validRange", {
                  from: dates.date(offer.validFrom),
                  until: dates.date(offer.validUntil),
                })}
              </td>
              <CountCells counts={offer.counts} />
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
