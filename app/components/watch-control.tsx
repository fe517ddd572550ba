import { Form } from "@remix-run/react";
import { useT } from "~/utils/i18n";

const LEVELS = ["watching", "normal", "muted"] as const;

/** Watch, normal or mute: a small form that works without JavaScript. */
export function WatchControl({ level, label }: { level: (typeof LEVELS)[number]; label: string }) {
  const t = useT();
  return (
    <Form method="post" className="watch-control">
      <input type="hidden" name="intent" value="watch" />
      <label htmlFor="watch-level">{label}</label>
      <select id="watch-level" name="level" defaultValue={level} key={level}>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`forum.watch.${l}`)}
          </option>
        ))}
      </select>
      <button type="submit" className="button">
        {t("forum.watch.save")}
      </button>
    </Form>
  );
}
