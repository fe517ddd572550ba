import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getAccountManagerOf } from "~/modules/members/account-manager.server";
import { resendVerificationEmail } from "~/modules/auth/accounts.server";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  if (!user) return { user: null, manager: null, staff: false };
  // Staff have no account manager: their card points at their work instead.
  const staff = user.role === "staff" || user.role === "admin";
  return {
    user: { displayName: user.displayName, email: user.email, emailVerified: user.emailVerified },
    manager: staff ? null : await getAccountManagerOf(context.services, user.id),
    staff,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const result = await resendVerificationEmail(context.services, user.id);
  return data({ resent: result.ok }, { status: result.ok ? 200 : 429 });
}

export default function HomePage() {
  const t = useT();
  const { user, manager, staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!user) {
    return (
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("home.title")}</h1>
        <p className="lead">{t("home.intro")}</p>
        <p className="actions">
          <Link to="/signup" className="button button--primary">
            {t("home.getStarted")}
          </Link>
          <Link to="/login" className="button">
            {t("home.haveAccount")}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home.hello", { name: user.displayName })}</h1>
      {!user.emailVerified ? (
        <div className="notice" role="status">
          <p>{t("home.verifyBanner", { email: user.email })}</p>
          {actionData?.resent ? (
            <p>{t("home.verificationSent")}</p>
          ) : (
            <Form method="post">
              <button type="submit" className="button">
                {t("home.resendVerification")}
              </button>
            </Form>
          )}
        </div>
      ) : null}
      <p className="lead">{t("home.intro")}</p>
      {staff ? (
        <div className="card">
          <h2>{t("home.yourWork")}</h2>
          <p>{t("home.yourWorkIntro")}</p>
          <p className="actions">
            <Link to="/staff/inbox" className="button button--primary">
              {t("nav.inbox")}
            </Link>
            <Link to="/staff/tasks" className="button">
              {t("nav.tasks")}
            </Link>
            <Link to="/staff" className="button">
              {t("nav.dashboard")}
            </Link>
          </p>
        </div>
      ) : (
        <div className="card">
          <h2>{t("home.yourManager")}</h2>
          {manager ? (
            <p>
              <strong>{manager.displayName}</strong> · <Link to="/chat">{t("home.chatWithManager", { name: manager.displayName })}</Link>
            </p>
          ) : (
            <p>{t("home.noManager")}</p>
          )}
        </div>
      )}
    </section>
  );
}
