import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OfferForm } from "~/components/offers";
import { createOffer } from "~/modules/offers/offers.server";
import { addDays, calendarDay } from "~/modules/calendar";
import { requirePermission } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "console:access:any");
  // A month from today, in the writer's zone, as a start they can change.
  const today = calendarDay(context.services.clock.now(), context.timeZone);
  return { defaults: { validFrom: today, validUntil: addDays(today, 30), codeMode: "unique", kind: "discount_code" } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const ran = await createOffer(context.services, { id: user.id, role: user.role }, { ...form, timeZone: context.timeZone }, { ip: context.ip });
  if (!ran.ok) return refuse(ran, context.locale, { values: form });
  throw redirect(`/staff/offers/${ran.id}?created=1`);
}

export default function NewOffer() {
  const t = useT();
  const { defaults } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <div className="stack">
      <p>
        <Link to="/staff/offers">{t("offers.title")}</Link>
      </p>
      <h1>{t("offers.new")}</h1>
      {refused?.formError ? (
        <p role="alert" className="notice notice--error">
          {refused.formError}
        </p>
      ) : null}
      <section className="card">
        <OfferForm values={refused?.values ?? defaults} errors={refused?.fieldErrors} submit={t("offers.create")} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
