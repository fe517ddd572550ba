import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OffersForYou } from "~/components/offers";
import { memberOffers, revealOffer } from "~/modules/offers/offers.server";
import { requireUser } from "~/utils/auth.server";
import { refusalResponse } from "~/utils/refusal.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  return { offers: await memberOffers(context.services, user.id) };
}

/** "Show my code": recorded as seen, then back to the page the member was on (home or here). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const form = await request.formData();
  const ran = await revealOffer(context.services, { id: user.id, role: user.role }, { grantId: form.get("grantId") }, { ip: context.ip });
  if (!ran.ok) throw refusalResponse(ran, context.locale);
  const back = String(form.get("redirectTo") ?? "");
  // Only a path of this site: never "//elsewhere" or a full address.
  throw redirect(/^\/(?![/\\])/.test(back) ? back : "/profile/offers");
}

export default function MyOffers() {
  const t = useT();
  const { offers } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1 id="my-offers">{t("offers.forYou")}</h1>
      <p className="muted">{t("offers.forYouIntro")}</p>
      <OffersForYou offers={offers} headingId="my-offers" heading="h2" />
      <p className="muted small">
        {t("offers.consentHint")} <Link to="/profile/privacy">{t("consent.title")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
