/**
 * A profile photo, or initials on a disc when there is none. Sizes are
 * classes, not inline styles: the CSP allows no inline style attributes.
 */
export function Avatar({ name, url, size = "md" }: { name: string; url: string | null; size?: "sm" | "md" | "lg" }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(-2)
      .map((w) => w[0]!.toUpperCase())
      .join("") || "?";
  if (url) return <img src={url} alt="" className={`avatar avatar--${size}`} />;
  return (
    <span className={`avatar avatar--${size} avatar--initials`} aria-hidden="true">
      {initials}
    </span>
  );
}
