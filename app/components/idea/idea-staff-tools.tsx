import { Form } from "@remix-run/react";
import { FieldErrors } from "~/components/field";
import { MarkdownEditor } from "~/components/markdown-editor";
import { SETTABLE_STATUSES } from "~/modules/ideas/idea-schemas";
import { translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { IdeaPageState, IdeaResult, IdeaView } from "./use-idea-page";

/** Staff move the idea to a new status with a public comment, or merge it into another idea. */
export function IdeaStaffTools({ idea, mergeCandidates, status, merge }: { idea: IdeaView; mergeCandidates: IdeaPageState["mergeCandidates"]; status: IdeaResult; merge: IdeaResult }) {
  const t = useT();
  return (
    <div className="stack">
      {/* A new key with each saved change: the comment box empties, so a second save cannot post it again. */}
      <Form method="post" className="stack" key={idea.statusChanges.at(-1)?.id ?? "none"}>
        <h3>{t("idea.changeStatus")}</h3>
        <input type="hidden" name="intent" value="status" />
        <FormError message={status?.formError} />
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
      <MergeForm mergeCandidates={mergeCandidates} merge={merge} />
    </div>
  );
}

/** The surviving idea is picked from similar ones or named by its link; open again after a refusal. */
function MergeForm({ mergeCandidates, merge }: { mergeCandidates: IdeaPageState["mergeCandidates"]; merge: IdeaResult }) {
  const t = useT();
  return (
    <details open={!!merge}>
      <summary>{t("idea.mergeTitle")}</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="merge" />
        <p className="muted small">{t("idea.mergeHint")}</p>
        <FormError message={merge?.formError} />
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
  );
}
