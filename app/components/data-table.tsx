/**
 * The staff console's tables and list pages, written once: a scrollable table with its column
 * heads, a list page's head (title, "new" button, what the list is for), and a row's one-button
 * form (an intent and the ids it acts on, posted as hidden fields).
 */
import { Fragment, isValidElement, type ReactElement, type ReactNode } from "react";
import { Form, Link } from "@remix-run/react";

/** A column head: its text; or the text with a class, or shown to screen readers only; or ready-made `<th>`s. */
export type Head = string | { label: string; className?: string; hidden?: boolean } | ReactElement;

export function DataTable({
  heads,
  caption,
  className,
  wrapClassName,
  children,
}: {
  heads: Head[];
  caption?: ReactNode;
  /** The table's class ("table" unless told; `null` for none). */
  className?: string | null;
  wrapClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : "table-wrap"}>
      <table className={className === undefined ? "table" : className ?? undefined}>
        {caption ? caption : null}
        <thead>
          <tr>
            {heads.map((head, i) => {
              if (isValidElement(head)) return <Fragment key={i}>{head}</Fragment>;
              const {
                label,
                className: headClass,
                hidden,
              } = typeof head === "string"
                ? { label: head }
                : (head as {
                    label: string;
                    className?: string;
                    hidden?: boolean;
                  });
              return (
                <th key={i} scope="col" className={headClass}>
                  {hidden ? <span className="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A list page's head: the title and its "new" button, then a line saying what the list is for. */
export function ListPageHead({ title, create, intro }: { title: string; create: { to: string; label: string }; intro?: string }) {
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        <Link to={create.to} className="button button--primary">
          {create.label}
        </Link>
      </div>
      {intro ? <p className="muted">{intro}</p> : null}
    </>
  );
}

/** One button posting an intent with the ids it needs (hidden fields), as a table row's action. */
export function PostButton({ fields, label, ariaLabel, className = "button", action }: { fields: Record<string, string>; label: string; ariaLabel?: string; className?: string; action?: string }) {
  return (
    <Form method="post" action={action}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className} aria-label={ariaLabel}>
        {label}
      </button>
    </Form>
  );
}
