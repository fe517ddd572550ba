/** The edge's side of the modules' MailTexts port: the catalogues write what the outbox mails. */
import type { MailTexts } from "~/modules/mail/texts";
import { translator } from "./translate";
import { renderNotification } from "./notification-text";

export const mailTexts: MailTexts = {
  message: (locale, key, vars) => translator(locale)(key, vars),
  notification: renderNotification,
};
