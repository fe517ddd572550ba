import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { MarkdownEditor } from "~/components/markdown-editor";
import { listCategories, startThread } from "~/modules/forums/forums.server";
import { requireUser } from "~/utils/auth.server";
import { localized } from "~/utils/forum";
import { refuse } from "~/utils/refusal.server";
import { can } from "~/modules/policy/can";
import { useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const categories = (await listCategories(context.services.db, user)).filter((c) => can(user, "forumCategory.post", c));
  return { categories, selected: new URL(request.url).searchParams.get("category") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const form = await request.formData();
  const input = { categoryId: String(form.get("categoryId") ?? ""), title: String(form.get("title") ?? ""), body: String(form.get("body") ?? "") };
  const result = await startThread(context.services, { id: user.id, role: user.role }, input);
  if (result.ok) throw redirect(`/community/t/${result.threadId}`);
  return refuse(result, context.locale, { values: input }, { messages: "forum.postError" });
}

export default function NewThreadPage() {
  const t = useT();
  const locale = useLocale();
  const { categories, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values;
  return (
    <section className="stack" aria-labelledby="new-thread-title">
      <h1 id="new-thread-title">{t("forum.newThread")}</h1>
      <Form method="post" className="stack">
        <FormError message={actionData?.formError} />
        <div className="field">
          <label htmlFor="thread-category">{t("forum.category")}</label>
          <select id="thread-category" name="categoryId" defaultValue={values?.categoryId ?? selected ?? categories[0]?.id}>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {localized(c, locale).name}
              </option>
            ))}
          </select>
          <FieldErrors id="thread-category-error" errors={actionData?.fieldErrors.categoryId} translate={(e) => translateError(t, e)} />
        </div>
        <div className="field">
          <label htmlFor="thread-title">{t("forum.threadTitle")}</label>
          <input
            id="thread-title"
            name="title"
            defaultValue={values?.title}
            maxLength={140}
            required
            aria-invalid={actionData?.fieldErrors.title ? true : undefined}
            aria-describedby={actionData?.fieldErrors.title ? "thread-title-error" : undefined}
          />
          <FieldErrors id="thread-title-error" errors={actionData?.fieldErrors.title} translate={(e) => translateError(t, e)} />
        </div>
        <MarkdownEditor id="thread-body" name="body" label={t("forum.body")} defaultValue={values?.body} errors={actionData?.fieldErrors.body} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("forum.post")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
