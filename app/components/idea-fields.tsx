import type { ReactNode } from "react";
import { FieldErrors } from "~/components/field";
import { MarkdownEditor } from "~/components/markdown-editor";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";

/**
 * An idea's title, product and description, for suggesting and for editing.
 * The title may be controlled (the new-idea page watches it for similar
 * ideas, shown in `afterTitle`).
 */
export function IdeaFields({
  prefix,
  values,
  errors,
  products,
  title,
  afterTitle,
}: {
  prefix: string;
  values: { title?: string; body?: string; productId?: string | null };
  errors: Record<string, string[] | undefined>;
  products: { id: string; nameVi: string; nameEn: string }[];
  title?: { value: string; onChange: (value: string) => void; hint: string };
  afterTitle?: ReactNode;
}) {
  const t = useT();
  const locale = useLocale();
  const id = (name: string) => `${prefix}-${name}`;
  const describedBy = (name: string, extra?: string) => [extra, errors[name] ? id(`${name}-error`) : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <div className="field">
        <label htmlFor={id("title")}>{t("ideas.titleLabel")}</label>
        <input
          id={id("title")}
          name="title"
          {...(title ? { value: title.value, onChange: (e: React.ChangeEvent<HTMLInputElement>) => title.onChange(e.currentTarget.value) } : { defaultValue: values.title })}
          maxLength={140}
          required
          autoComplete="off"
          aria-describedby={describedBy("title", title ? id("title-hint") : undefined)}
          aria-invalid={errors.title ? true : undefined}
        />
        {title ? (
          <p id={id("title-hint")} className="field__hint">
            {title.hint}
          </p>
        ) : null}
        <FieldErrors id={id("title-error")} errors={errors.title} translate={(e) => translateError(t, e)} />
      </div>
      {afterTitle}
      <div className="field">
        <label htmlFor={id("product")}>{t("ideas.productOptional")}</label>
        <select id={id("product")} name="productId" defaultValue={values.productId ?? ""} aria-invalid={errors.productId ? true : undefined} aria-describedby={describedBy("productId")}>
          <option value="">{t("ideas.noProduct")}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {localized(p, locale).name}
            </option>
          ))}
        </select>
        <FieldErrors id={id("productId-error")} errors={errors.productId} translate={(e) => translateError(t, e)} />
      </div>
      <MarkdownEditor id={id("body")} name="body" label={t("ideas.bodyLabel")} defaultValue={values.body} errors={errors.body} rows={6} />
    </>
  );
}
