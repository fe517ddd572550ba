/**
 * The one mailer. Always nodemailer: over SMTP when SMTP_URL is set,
 * otherwise its JSON transport renders the message and we keep it in the
 * database, browsable at /dev/mail outside production.
 */
import nodemailer from "nodemailer";
import type { Db, Mailer, OutgoingMail } from "../services.server";

export function createMailer(options: { db: Db; smtpUrl: string | null; from: string }): Mailer & { close(): void } {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message: OutgoingMail) {
        await transport.sendMail({ from: options.from, ...message });
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
