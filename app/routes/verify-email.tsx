/**
 * The mailed confirmation link. Opening it only shows a button: mail
 * scanners fetch links (GET) on their own, and confirming then would let an
 * address be confirmed without its owner. The click (POST) confirms.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { emailTokenUsable, verifyEmail } from "~/modules/auth/signup.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/utils/i18n";

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = TOKEN.test(token) && (await emailTokenUsable(context.services, token));
  return data({ token: usable ? token : null, loggedIn: !!context.user }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = String((await request.formData()).get("token") ?? "");
  const result = TOKEN.test(token) ? await verifyEmail(context.services, null, { token }, { ip: context.ip }) : { ok: false as const };
  return data({ verified: result.ok }, { status: result.ok ? 200 : 400 });
}

export default function VerifyEmailPage() {
  const t = useT();
  const { token, loggedIn } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const home = <p>{loggedIn ? <Link to="/">{t("nav.home")}</Link> : <Link to="/login">{t("nav.login")}</Link>}</p>;
  return (
    <section className="narrow card stack" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("verify.title")}</h1>
      {done ? (
        <>
          <p role="status" className={done.verified ? "notice notice--success" : "notice notice--error"}>
            {done.verified ? t("verify.done") : t("verify.invalid")}
          </p>
          {home}
        </>
      ) : token ? (
        <Form method="post" className="stack">
          <p>{t("verify.prompt")}</p>
          <input type="hidden" name="token" value={token} />
          <p>
            <button type="submit" className="button button--primary">
              {t("verify.confirm")}
            </button>
          </p>
        </Form>
      ) : (
        <>
          <p role="status" className="notice notice--error">
            {t("verify.invalid")}
          </p>
          {home}
        </>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
