/**
 * An error notice, announced as an alert: a refused form's message above it, a failed action's,
 * a link that no longer works. Nothing when there is no message (the field errors say it all).
 */
export function FormError({ message }: { message: string | null | undefined }) {
  return message ? (
    <p role="alert" className="notice notice--error">
      {message}
    </p>
  ) : null;
}
