import { Form, Link } from "@remix-run/react";
import { IdeaFields } from "~/components/idea-fields";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { IdeaCan, IdeaPageState, IdeaResult, IdeaView } from "./use-idea-page";

type IdeaForm = NonNullable<IdeaPageState["ideaForm"]>;

/** The description, or its edit form; then the author's and moderators' tools and the ideas merged here. */
export function IdeaBody({ idea, ideaForm, can, edited }: { idea: IdeaView; ideaForm: IdeaPageState["ideaForm"]; can: IdeaCan; edited: IdeaResult }) {
  const t = useT();
  return (
    <>
      {ideaForm?.source ? (
        <IdeaEditForm source={ideaForm.source} products={ideaForm.products} failed={edited} />
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
    </>
  );
}

/** The idea's own fields, filled from its source, or from the refused submission to fix. */
function IdeaEditForm({ source, products, failed }: { source: NonNullable<IdeaForm["source"]>; products: IdeaForm["products"]; failed: IdeaResult }) {
  const t = useT();
  const values = failed?.values ?? { title: source.title, body: source.bodyMarkdown, productId: source.productId ?? "" };
  return (
    <Form method="post" className="stack card">
      <input type="hidden" name="intent" value="edit-idea" />
      <FormError message={failed?.formError} />
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
