import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { verifyEmail } from "~/modules/auth/accounts.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const result = token ? await verifyEmail(context.services, token) : { ok: false as const };
  return { verified: result.ok, loggedIn: !!context.user };
}

export default function VerifyEmailPage() {
  const t = useT();
  const { verified, loggedIn } = useLoaderData<typeof loader>();
  return (
    <section className="narrow card" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("verify.title")}</h1>
      <p role="status" className={verified ? "notice notice--success" : "notice notice--error"}>
        {verified ? t("verify.done") : t("verify.invalid")}
      </p>
      <p>{loggedIn ? <Link to="/">{t("nav.home")}</Link> : <Link to="/login">{t("nav.login")}</Link>}</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
