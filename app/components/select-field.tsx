import type { FieldMetadata } from "@conform-to/react";
import { getSelectProps, getTextareaProps } from "@conform-to/react";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { FieldErrors } from "./field";

export function SelectField({
  field,
  label,
  options,
}: {
  field: FieldMetadata<string | undefined>;
  label: string;
  options: { value: string; label: string }[];
}) {
  const t = useT();
  const props = getSelectProps(field);
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select {...props} key={props.key}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} translate={(e) => translateError(t, e)} />
    </div>
  );
}

export function TextareaField({
  field,
  label,
  hint,
  rows = 3,
}: {
  field: FieldMetadata<string | undefined | null>;
  label: string;
  hint?: string;
  rows?: number;
}) {
  const t = useT();
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getTextareaProps(field as FieldMetadata<string | undefined>, { ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea {...props} key={props.key} rows={rows} />
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} translate={(e) => translateError(t, e)} />
    </div>
  );
}
