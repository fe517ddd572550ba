/** Kept mail, so people can follow sign-up and reset links without SMTP. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listKeptMail } from "~/modules/mail/mailer.server";
import { useDates, useT } from "~/utils/i18n";
import { isAdminRole } from "~/modules/policy/permissions";

export async function loader({ context }: LoaderFunctionArgs) {
  // Everyone's mail, reset links included: only for someone at this machine, or an admin.
  const reader = context.fromLoopback || isAdminRole(context.user?.role);
  if (!context.services.settings.devMailbox || !reader) throw new Response("Not found", { status: 404 });
  return { messages: await listKeptMail(context.services.db) };
}

/** Turns the URLs in a plain-text mail into links; the text itself stays text. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function DevMailPage() {
  const t = useT();
  const dates = useDates();
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("devmail.title")}</h1>
      <p>{t("devmail.intro")}</p>
      {messages.length === 0 ? <p>{t("devmail.empty")}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="card mail" aria-label={m.subject}>
          <h2>{m.subject}</h2>
          <p className="muted">
            {t("devmail.to")}: <span data-testid="mail-to">{m.to}</span> · {t("devmail.sent")}:{" "}
            {dates.format(m.createdAt, "precise")}
          </p>
          <pre className="mail__body">
            <Linkified text={m.text} />
          </pre>
        </article>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
