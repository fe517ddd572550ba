/** A refused form's message, shown above it; nothing when the field errors say it all. */
export function FormError({ message }: { message: string | null | undefined }) {
  return message ? (
    <p role="alert" className="notice notice--error">
      {message}
    </p>
  ) : null;
}
