import { useT } from "~/utils/i18n";

export default function Goodbye() {
  const t = useT();
  return (
    <section className="narrow card" aria-labelledby="bye-title">
      <h1 id="bye-title">{t("mydata.deleteTitle")}</h1>
      <p role="status">{t("mydata.deleted")}</p>
    </section>
  );
}
