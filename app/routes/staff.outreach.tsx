/**
 * The outreach hub: one console link for segments, announcements and offers, each a card with
 * what it is for and its figures for the viewer's scope (a staff member counts their own members).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { announcementSummary } from "~/modules/announcements/announcements.server";
import { offerSummary } from "~/modules/offers/offers.server";
import { can } from "~/modules/policy/can";
import { segmentSummary } from "~/modules/segments/segments.server";
import { requireStaffActor } from "~/utils/auth.server";
import type { MessageKey } from "~/i18n/en";
import { useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Outreach · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireStaffActor(context, request);
  const { services } = context;
  // Each card under the same rule as its section.
  const [segments, announcements, offers] = await Promise.all([
    can(actor, "segment.use") ? segmentSummary(services) : null,
    can(actor, "announcement.use") ? announcementSummary(services, actor) : null,
    can(actor, "offer.use") ? offerSummary(services, actor) : null,
  ]);
  if (!segments && !announcements && !offers) throw new Response("Forbidden", { status: 403 });
  return { segments, announcements, offers };
}

type Section = "segments" | "announcements" | "offers";
type Card = { id: Section; figures: [MessageKey, number][] };

export default function Outreach() {
  const t = useT();
  const { segments, announcements, offers } = useLoaderData<typeof loader>();
  const cards: Card[] = [];
  if (segments) cards.push({ id: "segments", figures: [["outreach.segments.saved", segments.saved]] });
  if (announcements)
    cards.push({
      id: "announcements",
      figures: [
        ["announcement.status.scheduled", announcements.scheduled],
        ["announcement.status.sending", announcements.sending],
        ["announcement.status.sent", announcements.sent],
      ],
    });
  if (offers)
    cards.push({
      id: "offers",
      figures: [
        ["outreach.offers.active", offers.active],
        ["outreach.offers.redeemed", offers.redeemed],
      ],
    });
  return (
    <div className="stack">
      <h1>{t("outreach.title")}</h1>
      <p className="muted">{t("outreach.intro")}</p>
      <ul className="outreach-cards">
        {cards.map((card) => (
          <li key={card.id}>
            <section className="card stack outreach-card" aria-labelledby={`outreach-${card.id}`}>
              <h2 id={`outreach-${card.id}`}>{t(`nav.${card.id}`)}</h2>
              <p>{t(`outreach.${card.id}.what`)}</p>
              <dl className="stats outreach-card__figures">
                {card.figures.map(([label, value]) => (
                  <div key={label}>
                    <dt>{t(label)}</dt>
                    <dd>{t("outreach.figure", { value })}</dd>
                  </div>
                ))}
              </dl>
              <p className="outreach-card__open">
                <Link to={`/staff/${card.id}`} className="button">
                  {t(`outreach.${card.id}.open`)}
                </Link>
              </p>
            </section>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
