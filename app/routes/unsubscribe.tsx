/**
 * One-click unsubscribe from a notification email, without logging in.
 * GET shows one button (link scanners that prefetch GETs change nothing);
 * POST does it, which is also what RFC 8058 mail clients send.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeUnsubscribeToken, unsubscribe } from "~/modules/notifications/notifications.server";
import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const state = await describeUnsubscribeToken(context.services.db, context.services.secrets.app, token);
  return { token, ...state };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const form = await request.formData();
  const token = String(form.get("token") ?? url.searchParams.get("token") ?? "");
  const result = await unsubscribe(context.services, context.user ? { id: context.user.id, role: context.user.role } : null, { token }, { ip: context.ip });
  // The page's own two answers: already used (409, as before), or not a link of ours.
  if (!result.ok) return data({ done: false as const, error: result.error === "used" ? ("used" as const) : ("invalid" as const) }, { status: result.error === "used" ? 409 : 400 });
  return { done: true as const, kind: result.kind };
}

export default function UnsubscribePage() {
  const t = useT();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const kindLabel = (kind: string) => t(`notifications.kind.${kind}` as MessageKey);
  let body;
  if (actionData?.done) body = <p role="status" className="notice notice--success">{t("unsubscribe.done", { kind: kindLabel(actionData.kind) })}</p>;
  else if (actionData && !actionData.done) body = <FormError message={t(actionData.error === "used" ? "unsubscribe.used" : "unsubscribe.invalid")} />;
  else if (loaderData.state !== "usable") body = <FormError message={t(loaderData.state === "used" ? "unsubscribe.used" : "unsubscribe.invalid")} />;
  else
    body = (
      <Form method="post">
        <p>{t("unsubscribe.confirm", { kind: kindLabel(loaderData.kind) })}</p>
        <input type="hidden" name="token" value={loaderData.token} />
        <button type="submit" className="button button--primary">
          {t("unsubscribe.submit")}
        </button>
      </Form>
    );
  return (
    <section className="narrow card" aria-labelledby="unsub-title">
      <h1 id="unsub-title">{t("unsubscribe.title")}</h1>
      {body}
      <p>
        <Link to="/profile/privacy">{t("notifications.settings")}</Link>
      </p>
    </section>
  );
}
