import { Form, Link } from "@remix-run/react";
import { MarkdownEditor } from "~/components/markdown-editor";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { ThreadPageView } from "./use-thread-page";

type Props = Pick<ThreadPageView, "thread" | "actionData" | "busy" | "quote" | "quoteId" | "viewer" | "canReply">;

/** The reply form at the thread's foot, or the way to log in for a visitor. */
export function ReplyForm({ thread, actionData, busy, quote, quoteId, viewer, canReply }: Props) {
  const t = useT();
  // A refused reply comes back with its text and its errors.
  const refused = actionData && !actionData.ok && actionData.intent === "reply" ? actionData : null;
  if (!canReply) {
    return !viewer ? (
      <p>
        <Link to={`/login?redirectTo=${encodeURIComponent(`/community/t/${thread.id}`)}`}>{t("forum.loginToReply")}</Link>
      </p>
    ) : null;
  }
  return (
    <section className="card" aria-labelledby="reply-title">
      <h2 id="reply-title">{t("forum.replyTitle")}</h2>
      {/* A new key after a sent reply or on another page: the form starts empty again. */}
      <Form method="post" className="stack" key={`${actionData?.ok ? `sent-${actionData.position}` : "reply"}-${thread.page.from}`}>
        <input type="hidden" name="intent" value="reply" />
        <FormError message={refused?.formError} />
        {quoteId ? <input type="hidden" name="quotePostId" value={quoteId} /> : null}
        <MarkdownEditor
          id="reply-body"
          name="body"
          threadId={thread.id}
          label={t("forum.body")}
          rows={5}
          defaultValue={refused ? refused.body : (quote ?? "")}
          errors={refused ? refused.fieldErrors.body : undefined}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("forum.reply")}
        </button>
      </Form>
    </section>
  );
}
