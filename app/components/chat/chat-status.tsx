import { useDates, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";

/** The notices above the conversation: the socket is reconnecting, or the conversation could not be opened. */
export function ChatNotices({ connected, error }: { connected: boolean; error: string | null }) {
  const t = useT();
  return (
    <>
      {!connected ? (
        <p className="notice" role="status">
          {t("chat.reconnecting")}
        </p>
      ) : null}
      <FormError message={error} />
    </>
  );
}

/** The line under the messages: the other side is typing, or has seen the viewer's last message. */
export function ChatStatus({ typing, seen }: { typing: string | null; seen: { at: string } | null }) {
  const t = useT();
  const dates = useDates();
  return (
    <p className="chat__status muted" aria-live="polite">
      {typing ? t("chat.typing", { name: typing }) : seen ? t("chat.seen", { time: dates.time(seen.at) }) : ""}
    </p>
  );
}
