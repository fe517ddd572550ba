/**
 * One-click unsubscribe from an announcement's topic, without logging in. GET shows one button
 * (link scanners that prefetch change nothing); POST does it, as RFC 8058 mail clients send it.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeTopicUnsubscribe, unsubscribeFromTopic } from "~/modules/announcements/delivery.server";
import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, ...describeTopicUnsubscribe(context.services.secrets.app, token) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const form = await request.formData();
  const token = String(form.get("token") ?? url.searchParams.get("token") ?? "");
  const result = await unsubscribeFromTopic(context.services, context.user ? { id: context.user.id, role: context.user.role } : null, { token }, { ip: context.ip });
  if (!result.ok) return data({ done: false as const }, { status: 400 });
  return { done: true as const, topic: result.topic };
}

export default function TopicUnsubscribePage() {
  const t = useT();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const topic = (name: string) => t(`consent.${name}` as MessageKey);
  let body;
  if (actionData?.done) body = <p role="status" className="notice notice--success">{t("topicUnsubscribe.done", { topic: topic(actionData.topic) })}</p>;
  else if (actionData || loaderData.state !== "usable") body = <p role="alert" className="notice notice--error">{t("topicUnsubscribe.invalid")}</p>;
  else
    body = (
      <Form method="post">
        <p>{t("topicUnsubscribe.confirm", { topic: topic(loaderData.topic) })}</p>
        <input type="hidden" name="token" value={loaderData.token} />
        <button type="submit" className="button button--primary">
          {t("topicUnsubscribe.submit")}
        </button>
      </Form>
    );
  return (
    <section className="narrow card" aria-labelledby="unsub-title">
      <h1 id="unsub-title">{t("topicUnsubscribe.title")}</h1>
      {body}
      <p>
        <Link to="/profile/privacy">{t("memberAnnouncements.topics")}</Link>
      </p>
    </section>
  );
}
