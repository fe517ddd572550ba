import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IdeaFields } from "~/components/idea-fields";
import { StatusBadge } from "~/components/idea-bits";
import { submitIdea } from "~/modules/ideas/idea-commands.server";
import { listProducts } from "~/modules/products/catalogue.server";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import { refuse } from "~/utils/refusal.server";
import { FormError } from "~/components/form-error";
import type { SimilarIdeas } from "./ideas.similar";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const products = await listProducts(context.services.db, { locale: context.locale });
  return {
    products: products.map((p) => ({ id: p.id, slug: p.slug, nameVi: p.nameVi, nameEn: p.nameEn })),
    selected: new URL(request.url).searchParams.get("product"),
  };
}

export const meta: MetaFunction = () => [{ title: "Suggest an idea · Rapport" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const values = { title: form.title ?? "", body: form.body ?? "", productId: form.productId ?? "" };
  const result = await submitIdea(context.services, { id: user.id, role: user.role }, values);
  if (result.ok) throw redirect(`/ideas/${result.ideaId}`);
  return refuse(result, context.locale, { values }, { messages: "idea.error" });
}

export default function NewIdeaPage() {
  const t = useT();
  const { products, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const similar = useFetcher<SimilarIdeas>();
  const [title, setTitle] = useState(actionData?.values.title ?? "");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    clearTimeout(timer.current);
    if (title.trim().length < 3) return;
    timer.current = setTimeout(() => similar.load(`/ideas/similar?q=${encodeURIComponent(title)}`), 300);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title]);
  const suggestions = title.trim().length >= 3 ? (similar.data?.ideas ?? []) : [];
  const errors = actionData?.fieldErrors ?? {};
  return (
    <section className="stack" aria-labelledby="new-idea-title">
      <p>
        <Link to="/ideas">← {t("ideas.title")}</Link>
      </p>
      <h1 id="new-idea-title">{t("ideas.suggest")}</h1>
      <p className="muted">{t("ideas.suggestIntro")}</p>
      <Form method="post" className="stack">
        <FormError message={actionData?.formError} />
        <IdeaFields
          prefix="idea"
          values={{ body: actionData?.values.body, productId: actionData?.values.productId ?? products.find((p) => p.slug === selected)?.id ?? "" }}
          errors={errors}
          products={products}
          title={{ value: title, onChange: setTitle, hint: t("ideas.titleHint") }}
          afterTitle={
            <section className="suggestions" aria-labelledby="similar-title" aria-live="polite" hidden={suggestions.length === 0}>
              <h2 id="similar-title" className="small">
                {t("ideas.similarTitle", { count: suggestions.length })}
              </h2>
              <ul>
                {suggestions.map((idea) => (
                  <li key={idea.id}>
                    <Link to={`/ideas/${idea.id}`}>{idea.title}</Link> <StatusBadge status={idea.status} />{" "}
                    <span className="muted small">{t("idea.votes", { count: idea.voteCount })}</span>
                  </li>
                ))}
              </ul>
              <p className="muted small">{t("ideas.similarHint")}</p>
            </section>
          }
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("ideas.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
