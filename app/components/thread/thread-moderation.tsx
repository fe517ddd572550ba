import { Form } from "@remix-run/react";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import type { ThreadPageView } from "./use-thread-page";

/** Staff's tools for the whole thread: pin, lock, rename and move to another category. */
export function ThreadModeration({ thread, categories }: Pick<ThreadPageView, "thread" | "categories">) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <Form method="post" className="toolbar" aria-label={t("forum.moderation")}>
        <button type="submit" name="intent" value={thread.pinnedAt ? "unpin" : "pin"} className="button">
          {thread.pinnedAt ? t("forum.unpin") : t("forum.pin")}
        </button>
        <button type="submit" name="intent" value={thread.lockedAt ? "unlock" : "lock"} className="button">
          {thread.lockedAt ? t("forum.unlock") : t("forum.lock")}
        </button>
      </Form>
      <details>
        <summary>{t("forum.renameMove")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="rename-move" />
          <div className="field">
            <label htmlFor="rename-title">{t("forum.threadTitle")}</label>
            <input id="rename-title" name="title" defaultValue={thread.title} minLength={8} maxLength={140} required />
          </div>
          <div className="field">
            <label htmlFor="move-category">{t("forum.category")}</label>
            <select id="move-category" name="categoryId" defaultValue={thread.category.id}>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {localized(c, locale).name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("common.save")}
          </button>
        </Form>
      </details>
    </>
  );
}
