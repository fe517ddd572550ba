/**
 * The one mailer. Always nodemailer: over SMTP when SMTP_URL is set,
 * otherwise its JSON transport renders the message and we keep it in the
 * database, browsable at /dev/mail outside production.
 */
import nodemailer from "nodemailer";
import type { Db, Mailer, OutgoingMail } from "../services.server";

/**
 * nodemailer waits 2 minutes for a connection and 10 for a quiet socket; the outbox delivers one
 * event at a time, so a mail server that hangs (a firewall dropping packets, a server that
 * accepts and never answers) would hold up every other event that long, per mail. Query
 * parameters of SMTP_URL (`?greetingTimeout=…`) override these.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
/** After a send timed out, later sends fail at once (transient: the outbox retries them) for this long. */
export const SMTP_PAUSE_AFTER_TIMEOUT_MS = 30_000;

export function createMailer(options: { db: Db; smtpUrl: string | null; from: string }): Mailer & { close(): void } {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS });
    let pausedUntil = 0;
    return {
      async send(message: OutgoingMail) {
        if (Date.now() < pausedUntil) {
          // ECONNECTION: a transient failure to the outbox, which keeps the event pending.
          throw Object.assign(new Error(`the mail server timed out a moment ago; not trying again before ${new Date(pausedUntil).toISOString()}`), { code: "ECONNECTION" });
        }
        try {
          await transport.sendMail({ from: options.from, ...message });
        } catch (error) {
          // nodemailer reports every timeout (connecting, greeting, a quiet socket) as ETIMEDOUT.
          if ((error as { code?: unknown }).code === "ETIMEDOUT") pausedUntil = Date.now() + SMTP_PAUSE_AFTER_TIMEOUT_MS;
          throw error;
        }
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message: OutgoingMail) {
      const info = await transport.sendMail({ from: options.from, ...message });
      const rendered = JSON.parse(String(info.message)) as { subject: string; text: string; html?: string };
      await options.db.mailMessage.create({
        data: { to: message.to, subject: rendered.subject, text: rendered.text, html: rendered.html ?? null },
      });
    },
    close: () => transport.close(),
  };
}

export function listKeptMail(db: Db, limit = 50) {
  return db.mailMessage.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}
