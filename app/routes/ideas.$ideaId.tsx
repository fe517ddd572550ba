import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IdeaFields } from "~/components/idea-fields";
import { FieldErrors } from "~/components/field";
import { StatusBadge, VoteBox } from "~/components/idea-bits";
import { MarkdownEditor } from "~/components/markdown-editor";
import { hasPermission, isStaffRole } from "~/modules/policy/permissions";
import { redirectTo as sameSitePath } from "~/modules/auth/schemas";
import { SETTABLE_STATUSES, VOTABLE_STATUSES } from "~/modules/ideas/idea-schemas";
import { commentSource, getIdea, ideaSource, similarIdeas } from "~/modules/ideas/ideas.server";
import { addComment, deleteComment, editComment, editIdea, removeIdea, setFollowing, toggleVote } from "~/modules/ideas/idea-commands.server";
import type { Actor } from "~/modules/policy/actor";
import { refuse } from "~/utils/refusal.server";
import type { Failure } from "~/modules/commands/failure";
import { listProducts } from "~/modules/products/catalogue.server";
import { mergeIdeas, setIdeaStatus } from "~/modules/ideas/status.server";
import { requireUser } from "~/utils/auth.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { z } from "zod";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const idea = await getIdea(context.services.db, params.ideaId ?? "", viewer?.id ?? null);
  if (!idea) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const editId = url.searchParams.get("edit");
  const canSetStatus = hasPermission(viewer, "idea:status:any");
  const canEdit = !!viewer && !idea.mergedInto && (viewer.id === idea.author.id || canSetStatus);
  const editingIdea = canEdit && url.searchParams.get("editIdea") === "1";
  return {
    idea,
    viewer,
    ideaForm: editingIdea
      ? {
          source: await ideaSource(context.services.db, idea.id),
          products: (await listProducts(context.services.db, { locale: context.locale })).map((p) => ({ id: p.id, nameVi: p.nameVi, nameEn: p.nameEn })),
        }
      : null,
    editing: viewer && editId ? { id: editId, body: await commentSource(context.services.db, editId, viewer.id) } : null,
    mergeCandidates: canSetStatus && !idea.mergedInto ? await similarIdeas(context.services.db, idea.title, { excludeId: idea.id, limit: 8 }) : [],
    can: {
      vote: hasPermission(viewer, "idea:vote:any") && VOTABLE_STATUSES.includes(idea.status) && !idea.mergedInto,
      comment: hasPermission(viewer, "idea:comment:any"),
      setStatus: canSetStatus,
      moderate: hasPermission(viewer, "idea:moderate:any"),
      edit: canEdit,
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.idea.title} · Rapport` : "Rapport" }];

/** "/ideas/abc", a full link or the bare id: what staff paste to name the surviving idea. */
function ideaIdFrom(value: string) {
  const trimmed = value.trim();
  return trimmed.match(/\/ideas\/([A-Za-z0-9_-]+)/)?.[1] ?? trimmed;
}

/** The page's forms, each an intent: parsed once, then one command runs it. */
const Intent = z.enum(["vote", "follow", "unfollow", "comment", "edit-comment", "delete-comment", "status", "edit-idea", "remove-idea", "merge"]);
type Intent = z.infer<typeof Intent>;

type FormFields = Record<string, string>;
type Run = { services: AppLoadContext["services"]; actor: Actor; ideaId: string; form: FormFields; self: string };
type Ran = { ok: true; commentId?: string } | Failure;

/** Per intent: the command it runs and where the browser goes once it succeeded. */
const INTENTS: Record<Intent, (run: Run) => Promise<{ ran: Ran; next: string }>> = {
  vote: async ({ services, actor, ideaId, form, self }) => ({ ran: await toggleVote(services, actor, { ideaId }), next: sameSitePath.parse(form.redirectTo) ?? self }),
  follow: async ({ services, actor, ideaId, self }) => ({ ran: await setFollowing(services, actor, { ideaId, following: true }), next: self }),
  unfollow: async ({ services, actor, ideaId, self }) => ({ ran: await setFollowing(services, actor, { ideaId, following: false }), next: self }),
  comment: async ({ services, actor, ideaId, form, self }) => {
    const ran = await addComment(services, actor, { ...form, ideaId });
    return { ran, next: ran.ok ? `${self}#comment-${ran.commentId}` : self };
  },
  "edit-comment": async ({ services, actor, form, self }) => ({ ran: await editComment(services, actor, form), next: `${self}#comment-${form.commentId}` }),
  "delete-comment": async ({ services, actor, form, self }) => ({ ran: await deleteComment(services, actor, form), next: `${self}#comments` }),
  status: async ({ services, actor, ideaId, form, self }) => ({ ran: await setIdeaStatus(services, actor, { ...form, ideaId }), next: `${self}#history` }),
  "edit-idea": async ({ services, actor, ideaId, form, self }) => ({ ran: await editIdea(services, actor, { ...form, ideaId }), next: self }),
  "remove-idea": async ({ services, actor, ideaId }) => ({ ran: await removeIdea(services, actor, { ideaId }), next: "/ideas" }),
  merge: async ({ services, actor, ideaId, form, self }) => ({
    ran: await mergeIdeas(services, actor, { duplicateId: ideaId, survivorId: ideaIdFrom(form.survivor || form.survivorId || ""), comment: form.comment }),
    next: self,
  }),
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const ideaId = params.ideaId ?? "";
  const form = Object.fromEntries(await request.formData()) as FormFields;
  const intent = Intent.safeParse(form.intent);
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const self = `/ideas/${ideaId}`;
  const { ran, next } = await INTENTS[intent.data]({ services: context.services, actor: { id: user.id, role: user.role }, ideaId, form, self });
  if (ran.ok) throw redirect(next);
  return refuse(ran, context.locale, { intent: intent.data as string, targetId: form.commentId ?? null, values: form }, { messages: "idea.error" });
}

export default function IdeaPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { idea, viewer, editing, ideaForm, mergeCandidates, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const result = (intent: string) => (actionData?.intent === intent ? actionData : null);
  const doneNote = idea.status === "done" ? idea.statusChanges.filter((c) => c.toStatus === "done").at(-1) : null;
  return (
    <article className="stack" aria-labelledby="idea-title">
      <p>
        <Link to="/ideas">← {t("ideas.title")}</Link> · <Link to="/ideas/roadmap">{t("roadmap.title")}</Link>
      </p>
      <div className="idea-row">
        <VoteBox ideaId={idea.id} title={idea.title} votes={idea.voteCount} voted={idea.voted} canVote={can.vote} />
        <div className="stack">
          <h1 id="idea-title">{idea.title}</h1>
          <p className="muted">
            <StatusBadge status={idea.status} /> · {idea.author.deletedAt ? t("member.former") : idea.author.displayName} ·{" "}
            <time dateTime={new Date(idea.createdAt).toISOString()}>{dates.date(idea.createdAt)}</time>
            {idea.product ? (
              <>
                {" · "}
                <Link to={`/products/${idea.product.slug}`}>{localized(idea.product, locale).name}</Link>
              </>
            ) : null}
          </p>
          {viewer ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value={idea.following ? "unfollow" : "follow"} />
              <button type="submit" className="button button--ghost" aria-pressed={idea.following}>
                {idea.following ? t("idea.following") : t("idea.follow")}
              </button>{" "}
              <span className="muted small">{t("idea.followHint")}</span>
            </Form>
          ) : (
            <p>
              <Link to={`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}`)}`}>{t("idea.loginToVote")}</Link>
            </p>
          )}
        </div>
      </div>
      {result("vote")?.formError ? (
        <p role="alert" className="notice notice--error">
          {result("vote")!.formError}
        </p>
      ) : null}
      {idea.mergedInto ? (
        <p className="notice">
          {t("idea.mergedInto")} <Link to={`/ideas/${idea.mergedInto.id}`}>{idea.mergedInto.title}</Link>
        </p>
      ) : null}
      {doneNote ? (
        <section className="we-built" aria-labelledby="we-built-title">
          <h2 id="we-built-title">{t("idea.weBuilt")}</h2>
          {doneNote.commentHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: doneNote.commentHtml }} /> : <p>{t("idea.weBuiltDefault")}</p>}
          <p className="muted small">
            {doneNote.changedBy ? `${doneNote.changedBy} · ` : ""}
            {dates.date(doneNote.changedAt)}
          </p>
        </section>
      ) : null}
      {ideaForm?.source ? (
        renderIdeaForm(ideaForm.source, ideaForm.products)
      ) : (
        // Safe: rendered and stored by our markdown renderer.
        <div className="prose card" dangerouslySetInnerHTML={{ __html: idea.bodyHtml }} />
      )}
      {can.edit || can.moderate ? (
        <div className="toolbar">
          {can.edit && !ideaForm ? (
            <Link to="?editIdea=1" className="button button--ghost">
              {t("idea.editIdea")}
            </Link>
          ) : null}
          {idea.editedAt ? <span className="muted small">{t("review.edited")}</span> : null}
          {can.moderate ? (
            <Form method="post" className="inline-form" onSubmit={(e) => !confirm(t("idea.removeConfirm")) && e.preventDefault()}>
              <input type="hidden" name="intent" value="remove-idea" />
              <button type="submit" className="button button--danger">
                {t("idea.remove")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {idea.duplicates.length ? (
        <section aria-labelledby="merged-here">
          <h2 id="merged-here">{t("idea.mergedHere")}</h2>
          <ul>
            {idea.duplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/ideas/${d.id}`}>{d.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card stack" id="history" aria-labelledby="history-title">
        <h2 id="history-title">{t("idea.history")}</h2>
        <ol className="status-history">
          <li>
            {t("idea.historySubmitted")} · <time dateTime={new Date(idea.createdAt).toISOString()}>{dates.date(idea.createdAt)}</time>
          </li>
          {idea.statusChanges.map((c) => (
            <li key={c.id}>
              <StatusBadge status={c.fromStatus} /> → <StatusBadge status={c.toStatus} />{" "}
              <span className="muted small">
                {c.changedBy ? `${c.changedBy} · ` : ""}
                <time dateTime={new Date(c.changedAt).toISOString()}>{dates.dateTime(c.changedAt)}</time>
              </span>
              {c.commentHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: c.commentHtml }} /> : null}
            </li>
          ))}
        </ol>
        {can.setStatus && !idea.mergedInto ? renderStaffTools() : null}
      </section>

      <section className="stack" id="comments" aria-labelledby="comments-title">
        <h2 id="comments-title">{t("ideas.comments", { count: idea.commentCount })}</h2>
        {result("delete-comment")?.formError || result("edit-comment")?.formError ? (
          <p role="alert" className="notice notice--error">
            {(result("delete-comment") ?? result("edit-comment"))!.formError}
          </p>
        ) : null}
        {idea.comments.length === 0 ? <p className="muted">{t("idea.noComments")}</p> : null}
        <ol className="comment-list">
          {idea.comments.map((c) => {
            const name = c.author.deletedAt ? t("member.former") : c.author.displayName;
            const own = viewer?.id === c.author.id;
            return (
              <li key={c.id} id={`comment-${c.id}`} className="card post">
                <header className="post__head">
                  <Avatar name={name} url={c.author.avatar} size="sm" />
                  <strong>{c.author.deletedAt ? name : <Link to={`/community/u/${c.author.username}`}>{name}</Link>}</strong>
                  {isStaffRole(c.author.role) ? <span className="badge badge--staff">{t("idea.staffBadge")}</span> : null}
                  <span className="muted small">
                    <time dateTime={new Date(c.createdAt).toISOString()}>{dates.dateTime(c.createdAt)}</time>
                    {c.editedAt ? ` · ${t("review.edited")}` : ""}
                  </span>
                </header>
                {c.deletedAt ? <p className="muted">{t("idea.commentDeleted")}</p> : <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />}
                {editing?.id === c.id && editing.body !== null ? (
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="edit-comment" />
                    <input type="hidden" name="commentId" value={c.id} />
                    <MarkdownEditor
                      id={`edit-comment-${c.id}`}
                      name="body"
                      label={t("idea.editComment")}
                      defaultValue={result("edit-comment")?.values.body ?? editing.body}
                      errors={result("edit-comment")?.fieldErrors.body}
                      rows={4}
                    />
                    <button type="submit" className="button button--primary">
                      {t("review.saveEdit")}
                    </button>
                  </Form>
                ) : null}
                {!c.deletedAt && (own || can.moderate) ? (
                  <footer className="toolbar">
                    {own ? (
                      <Link to={`?edit=${c.id}#comment-${c.id}`} className="button button--ghost" aria-label={t("idea.editCommentOf", { name })}>
                        {t("idea.edit")}
                      </Link>
                    ) : null}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="delete-comment" />
                      <input type="hidden" name="commentId" value={c.id} />
                      <button type="submit" className="button button--ghost" aria-label={t("idea.deleteCommentOf", { name })}>
                        {t("idea.delete")}
                      </button>
                    </Form>
                  </footer>
                ) : null}
              </li>
            );
          })}
        </ol>
        {can.comment ? (
          <Form method="post" className="stack card" key={`comment-${idea.commentCount}`}>
            <input type="hidden" name="intent" value="comment" />
            {result("comment")?.formError ? (
              <p role="alert" className="notice notice--error">
                {result("comment")!.formError}
              </p>
            ) : null}
            <MarkdownEditor id="idea-comment" name="body" label={t("idea.addComment")} defaultValue={result("comment")?.values.body} errors={result("comment")?.fieldErrors.body} rows={4} />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("idea.postComment")}
            </button>
          </Form>
        ) : !viewer ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}#comments`)}`}>{t("idea.loginToComment")}</Link>
          </p>
        ) : null}
      </section>
    </article>
  );

  function renderIdeaForm(source: { title: string; bodyMarkdown: string; productId: string | null }, products: { id: string; nameVi: string; nameEn: string }[]) {
    const failed = result("edit-idea");
    const values = failed?.values ?? { title: source.title, body: source.bodyMarkdown, productId: source.productId ?? "" };
    return (
      <Form method="post" className="stack card">
        <input type="hidden" name="intent" value="edit-idea" />
        {failed?.formError ? (
          <p role="alert" className="notice notice--error">
            {failed.formError}
          </p>
        ) : null}
        <IdeaFields prefix="edit-idea" values={values} errors={failed?.fieldErrors ?? {}} products={products} />
        <div className="toolbar">
          <button type="submit" className="button button--primary">
            {t("review.saveEdit")}
          </button>
          <Link to="." className="button button--ghost">
            {t("idea.cancel")}
          </Link>
        </div>
      </Form>
    );
  }

  function renderStaffTools() {
    const status = result("status");
    const merge = result("merge");
    return (
      <div className="stack">
        {/* A new key with each saved change: the comment box empties, so a second save cannot post it again. */}
        <Form method="post" className="stack" key={idea.statusChanges.at(-1)?.id ?? "none"}>
          <h3>{t("idea.changeStatus")}</h3>
          <input type="hidden" name="intent" value="status" />
          {status?.formError ? (
            <p role="alert" className="notice notice--error">
              {status.formError}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="idea-status">{t("idea.newStatus")}</label>
            <select id="idea-status" name="status" defaultValue={status?.values.status ?? idea.status}>
              {SETTABLE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`idea.status.${s}`)}
                </option>
              ))}
            </select>
            <FieldErrors id="idea-status-error" errors={status?.fieldErrors.status} translate={(e) => translateError(t, e)} />
          </div>
          <MarkdownEditor id="idea-status-comment" name="comment" label={t("idea.publicComment")} defaultValue={status?.values.comment} errors={status?.fieldErrors.comment} rows={3} />
          <p className="field__hint">{t("idea.statusHint")}</p>
          <button type="submit" className="button button--primary">
            {t("idea.saveStatus")}
          </button>
        </Form>
        <details open={!!merge}>
          <summary>{t("idea.mergeTitle")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="merge" />
            <p className="muted small">{t("idea.mergeHint")}</p>
            {merge?.formError ? (
              <p role="alert" className="notice notice--error">
                {merge.formError}
              </p>
            ) : null}
            {mergeCandidates.length ? (
              <div className="field">
                <label htmlFor="merge-candidate">{t("idea.mergeCandidates")}</label>
                <select id="merge-candidate" name="survivorId" defaultValue="">
                  <option value="">{t("idea.mergeChoose")}</option>
                  {mergeCandidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title} ({t("idea.votes", { count: c.voteCount })})
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="merge-survivor">{t("idea.mergeLink")}</label>
              <input
                id="merge-survivor"
                name="survivor"
                defaultValue={merge?.values.survivor}
                aria-invalid={merge?.fieldErrors.survivorId ? true : undefined}
                aria-describedby={merge?.fieldErrors.survivorId ? "merge-survivor-error" : undefined}
              />
              <FieldErrors id="merge-survivor-error" errors={merge?.fieldErrors.survivorId} translate={(e) => translateError(t, e)} />
            </div>
            <div className="field">
              <label htmlFor="merge-comment">{t("idea.publicComment")}</label>
              <textarea id="merge-comment" name="comment" rows={2} defaultValue={merge?.values.comment} />
            </div>
            <button type="submit" className="button button--danger">
              {t("idea.merge")}
            </button>
          </Form>
        </details>
      </div>
    );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
