/**
 * The mail an account needs: confirming the address and resetting the password.
 */
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import { isLocale } from "../locales";
import { newToken, sha256Hex } from "./tokens.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import type { MailTexts } from "../mail/texts";

const VERIFY_TTL_MS = 24 * 60 * 60_000;
const RESET_TTL_MS = 60 * 60_000;

/**
 * Confirmation and reset mail leave through the outbox, never on the request's path: with the
 * mail server down the request still answers at once, and the mail goes when it is back. The
 * token is made when the mail is sent, so no usable token ever sits in the outbox's payload.
 */
export const ACCOUNT_MAIL = "account.mail";
type AccountMail = { userId: string; purpose: "verify" | "reset" };

export async function enqueueAccountMail(tx: Tx, mail: AccountMail, now: Date) {
  await enqueueOutboxEvent(tx, ACCOUNT_MAIL, mail, now);
}

export function accountMailHandler(services: Pick<Services, "db" | "mailer" | "clock" | "settings"> & { texts: MailTexts }): OutboxHandler {
  return {
    name: "account.mail",
    handles: (type) => type === ACCOUNT_MAIL,
    async deliver(event) {
      const { userId, purpose } = event.payload as Partial<AccountMail>;
      if (typeof userId !== "string" || (purpose !== "verify" && purpose !== "reset")) return;
      const user = await services.db.user.findUnique({
        where: { id: userId },
        select: { id: true, email: true, displayName: true, locale: true, emailVerifiedAt: true, deletedAt: true },
      });
      if (!user || user.deletedAt || (purpose === "verify" && user.emailVerifiedAt)) return;
      const now = services.clock.now();
      const token = newToken();
      if (purpose === "verify") {
        await services.db.emailVerificationToken.create({
          data: { tokenHash: sha256Hex(token), userId: user.id, email: user.email, expiresAt: new Date(now.getTime() + VERIFY_TTL_MS) },
        });
      } else {
        await services.db.passwordResetToken.create({
          data: { tokenHash: sha256Hex(token), userId: user.id, expiresAt: new Date(now.getTime() + RESET_TTL_MS) },
        });
      }
      const locale = isLocale(user.locale) ? user.locale : services.settings.defaultLocale;
      const page = purpose === "verify" ? "verify-email" : "reset-password";
      const link = `${services.settings.publicUrl}/${page}?token=${encodeURIComponent(token)}`;
      await services.mailer.send({
        to: user.email,
        subject: services.texts.message(locale, purpose === "verify" ? "verify.mailSubject" : "forgot.mailSubject"),
        text: services.texts.message(locale, purpose === "verify" ? "verify.mailBody" : "forgot.mailBody", { name: user.displayName, link }),
      });
    },
  };
}
