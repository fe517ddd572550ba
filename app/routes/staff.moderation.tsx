import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { resolveFlags, reviewQueue } from "~/modules/forums/flags.server";
import { requirePermission } from "~/utils/auth.server";
import { refusalResponse } from "~/utils/refusal.server";
import { useDates, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { nameFormerMembers } from "~/utils/former-member";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "moderation:review:any");
  return { queue: (await reviewQueue(context.services, { id: user.id, role: user.role })) ?? [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "moderation:review:any");
  const result = await resolveFlags(context.services, { id: user.id, role: user.role }, Object.fromEntries(await request.formData()));
  // The queue's buttons send well-formed decisions: a refusal is a stale page or a forged post.
  if (!result.ok) throw refusalResponse(result, context.locale);
  return redirect("/staff/moderation");
}

export default function ModerationQueue() {
  const t = useT();
  const dates = useDates();
  const { queue } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("moderation.title")}</h1>
      <p className="muted">{t("moderation.intro")}</p>
      <p>
        <Link to="/staff/review-reports">{t("reviewReports.link")}</Link>
      </p>
      {queue.length === 0 ? <p>{t("moderation.empty")}</p> : null}
      <ul className="posts">
        {queue.map(({ post, flags }) => (
          <li key={post.id} className="card stack">
            <p>
              <Link to={`/community/t/${post.thread.id}#post-${post.position}`}>{t("forum.postNumber", { position: post.position })}</Link>{" "}
              <span className="muted">{t("moderation.in", { title: post.thread.title, name: post.author.displayName || t("member.former") })}</span>{" "}
              <span className="badge">{t("moderation.flags", { count: flags.length })}</span>{" "}
              {post.hiddenAt ? <span className="badge badge--staff">{t("moderation.hiddenNow")}</span> : null}
            </p>
            {/* Safe: stored output of our markdown renderer. */}
            <div className="prose quote-box" dangerouslySetInnerHTML={{ __html: nameFormerMembers(post.bodyHtml, t("member.former")) }} />
            <ul className="history">
              {flags.map((f) => (
                <li key={f.id}>
                  {t(`forum.flag.${f.reason}` as MessageKey)}
                  {f.note ? `: “${f.note}”` : ""} ·{" "}
                  <time dateTime={new Date(f.createdAt).toISOString()}>{dates.dateTime(f.createdAt)}</time>
                </li>
              ))}
            </ul>
            <Form method="post" className="toolbar">
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" name="decision" value="keep" className="button">
                {t("moderation.keep")}
              </button>
              <button type="submit" name="decision" value="hide" className="button button--danger">
                {t("moderation.hide")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
