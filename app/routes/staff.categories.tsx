import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { labelledFields } from "~/components/field";
import { CategoryDot, StaffOnlyBadge } from "~/components/thread-list";
import { listCategories } from "~/modules/forums/forums.server";
import { saveCategory } from "~/modules/forums/categories.server";
import { requirePermission } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "category:manage:any");
  return { categories: await listCategories(context.services.db, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "category:manage:any");
  const input = Object.fromEntries(await request.formData());
  const formId = String(input.id || "new");
  const result = await saveCategory(context.services, { id: user.id, role: user.role }, input);
  if (!result.ok) return refuse(result, context.locale, { ok: false as const, formId });
  return { ok: true as const, formId, fieldErrors: {} as Record<string, string[] | undefined> };
}

type Category = ReturnType<typeof useLoaderData<typeof loader>>["categories"][number];

export default function CategoriesAdmin() {
  const t = useT();
  const locale = useLocale();
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="stack">
      <h1>{t("category.title")}</h1>
      {actionData?.ok ? (
        <p role="status" className="notice notice--success">
          {t("category.saved")}
        </p>
      ) : null}
      {categories.map((c) => (
        <details key={c.id} className="card">
          <summary>
            <CategoryDot color={c.color} /> {localized(c, locale).name}
            {c.readRole === "staff" ? <> <StaffOnlyBadge /></> : null}
          </summary>
          <CategoryForm category={c} nextPosition={categories.length + 1} errors={actionData && !actionData.ok && actionData.formId === c.id ? actionData.fieldErrors : undefined} />
        </details>
      ))}
      <section className="card" aria-labelledby="new-category">
        <h2 id="new-category">{t("category.new")}</h2>
        <CategoryForm nextPosition={categories.length + 1} errors={actionData && !actionData.ok && actionData.formId === "new" ? actionData.fieldErrors : undefined} />
      </section>
    </div>
  );
}

/** At module level, so re-renders keep what the admin typed (a nested component would remount). */
function CategoryForm({
  category,
  errors,
  nextPosition,
}: {
  category?: Category;
  errors?: Record<string, string[] | undefined>;
  nextPosition: number;
}) {
  const t = useT();
  const prefix = category?.id ?? "new";
  const { field, invalid } = labelledFields(t, prefix, errors);
  const choice = (name: string, label: MessageKey, value: string, options: [string, MessageKey][]) =>
    field(
      name,
      label,
      <select id={`${prefix}-${name}`} name={name} defaultValue={value}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {t(text)}
          </option>
        ))}
      </select>,
    );
  return (
    <Form method="post" className="stack">
      {category ? <input type="hidden" name="id" value={category.id} /> : null}
      {field("slug", "category.slug", <input id={`${prefix}-slug`} name="slug" defaultValue={category?.slug} required {...invalid("slug")} />)}
      {field("nameVi", "category.nameVi", <input id={`${prefix}-nameVi`} name="nameVi" defaultValue={category?.nameVi} required lang="vi" {...invalid("nameVi")} />)}
      {field("nameEn", "category.nameEn", <input id={`${prefix}-nameEn`} name="nameEn" defaultValue={category?.nameEn} required lang="en" {...invalid("nameEn")} />)}
      {field("descriptionVi", "category.descriptionVi", <textarea id={`${prefix}-descriptionVi`} name="descriptionVi" defaultValue={category?.descriptionVi} rows={2} lang="vi" />)}
      {field("descriptionEn", "category.descriptionEn", <textarea id={`${prefix}-descriptionEn`} name="descriptionEn" defaultValue={category?.descriptionEn} rows={2} lang="en" />)}
      {field("color", "category.color", <input id={`${prefix}-color`} name="color" type="color" defaultValue={category?.color ?? "#0f5c4d"} {...invalid("color")} />)}
      {field("position", "category.position", <input id={`${prefix}-position`} name="position" type="number" min={0} max={1000} defaultValue={category?.position ?? nextPosition} />)}
      {choice("postingRole", "category.postingRole", category?.postingRole ?? "member", [
        ["member", "category.role.member"],
        ["staff", "category.role.staff"],
      ])}
      {choice("readRole", "category.readRole", category?.readRole ?? "everyone", [
        ["everyone", "category.read.everyone"],
        ["staff", "category.read.staff"],
      ])}
      <button type="submit" className="button button--primary">
        {t("category.save")}
      </button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
