import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IdeaBody } from "~/components/idea/idea-body";
import { IdeaComments } from "~/components/idea/idea-comments";
import { IdeaHeader } from "~/components/idea/idea-header";
import { IdeaOutcome } from "~/components/idea/idea-outcome";
import { IdeaHistory } from "~/components/idea/idea-history";
import { IdeaStaffTools } from "~/components/idea/idea-staff-tools";
import { useIdeaPage } from "~/components/idea/use-idea-page";
import { hasPermission } from "~/modules/policy/permissions";
import { redirectTo as sameSitePath } from "~/modules/auth/schemas";
import { VOTABLE_STATUSES } from "~/modules/ideas/idea-schemas";
import { commentSource, getIdea, ideaSource, similarIdeas } from "~/modules/ideas/ideas.server";
import { addComment, deleteComment, editComment, editIdea, removeIdea, setFollowing, toggleVote } from "~/modules/ideas/idea-commands.server";
import type { Actor } from "~/modules/policy/actor";
import { refuse } from "~/utils/refusal.server";
import type { Failure } from "~/modules/commands/failure";
import { listProducts } from "~/modules/products/catalogue.server";
import { mergeIdeas, setIdeaStatus } from "~/modules/ideas/status.server";
import { requireUser } from "~/utils/auth.server";
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
  const { idea, viewer, editing, ideaForm, mergeCandidates, can, busy, result, doneNote } = useIdeaPage();
  return (
    <article className="stack" aria-labelledby="idea-title">
      <IdeaHeader idea={idea} viewer={viewer} canVote={can.vote} voteError={result("vote")?.formError} />
      <IdeaOutcome mergedInto={idea.mergedInto} doneNote={doneNote} />
      <IdeaBody idea={idea} ideaForm={ideaForm} can={can} edited={result("edit-idea")} />

      <IdeaHistory idea={idea}>
        {can.setStatus && !idea.mergedInto ? <IdeaStaffTools idea={idea} mergeCandidates={mergeCandidates} status={result("status")} merge={result("merge")} /> : null}
      </IdeaHistory>

      <IdeaComments idea={idea} viewer={viewer} can={can} editing={editing} result={result} busy={busy} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
