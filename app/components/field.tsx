import type { FieldMetadata } from "@conform-to/react";
import { getInputProps } from "@conform-to/react";
import { useT } from "~/utils/i18n";
import { translateError, type Translate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";

type InputType = "text" | "email" | "password" | "hidden" | "tel" | "url";

/** A labelled input with its hint and errors wired up for screen readers. */
export function Field({
  field,
  label,
  type = "text",
  hint,
  autoComplete,
  autoFocus,
}: {
  field: FieldMetadata<string | null | undefined>;
  label: string;
  type?: InputType;
  hint?: string;
  autoComplete?: string;
  autoFocus?: boolean;
}) {
  const t = useT();
  const hintId = hint ? `${field.id}-hint` : undefined;
  const inputProps = getInputProps(field as FieldMetadata<string | undefined>, { type, ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input
        {...inputProps}
        key={inputProps.key}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        // Handles, emails and passwords are not words: no capitals, no spell-check squiggles.
        {...(type !== "text" || autoComplete === "username" ? { autoCapitalize: "none", spellCheck: false } : {})}
      />
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} translate={(e) => translateError(t, e)} />
    </div>
  );
}

export function FieldErrors({
  id,
  errors,
  translate,
}: {
  id?: string;
  errors?: string[];
  translate: (error: string) => string;
}) {
  if (!errors?.length) return null;
  return (
    <div id={id} className="field__errors" role="alert">
      <ul>
      {errors.map((e) => (
        <li key={e}>{translate(e)}</li>
      ))}
    </ul>
    </div>
  );
}

/**
 * For forms without conform (several forms on one page): `field` wraps an
 * input with its label and errors, `invalid` gives the input its aria state.
 * Ids are `${prefix}-${name}`, so two forms on a page never clash.
 */
export function labelledFields(t: Translate, prefix: string, errors: Record<string, string[] | undefined> | undefined) {
  const field = (name: string, label: MessageKey, input: JSX.Element) => (
    <div className="field">
      <label htmlFor={`${prefix}-${name}`}>{t(label)}</label>
      {input}
      <FieldErrors id={`${prefix}-${name}-error`} errors={errors?.[name]} translate={(e) => translateError(t, e)} />
    </div>
  );
  const invalid = (name: string) => (errors?.[name] ? { "aria-invalid": true, "aria-describedby": `${prefix}-${name}-error` } : {});
  return { field, invalid };
}
