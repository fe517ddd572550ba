import { useT } from "~/utils/i18n";

export default function InboxHome() {
  const t = useT();
  return <p className="muted">{t("inbox.pick")}</p>;
}
