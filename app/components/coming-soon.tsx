import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

/** An area of the portal whose issue has not landed yet; says so plainly. */
export function ComingSoon({ area }: { area: MessageKey }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="soon-title">
      <h1 id="soon-title">{t("soon.title", { area: t(area) })}</h1>
      <p>{t("soon.body")}</p>
    </section>
  );
}
