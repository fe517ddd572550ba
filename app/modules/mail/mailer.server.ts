/**
 * The one mailer. Always nodemailer: over SMTP when SMTP_URL is set,
 * otherwise its JSON transport renders the message and we keep it in the
 * database, browsable at /dev/mail outside production.
 */
import nodemailer from "nodemailer";
import type { Clock, Db, Logger, Mailer, OutgoingMail } from "../services.server";

/**
 * nodemailer waits 2 minutes for a connection and 10 for a quiet socket; the outbox delivers one
 * event at a time, so a mail server that hangs (a firewall dropping packets, a server that
 * accepts and never answers) would hold up every other event that long, per mail. Query
 * parameters of SMTP_URL (`?greetingTimeout=…`) override these.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
/**
 * One connection kept open while mail keeps coming: a new one costs a TCP (and TLS) handshake and
 * the greeting pause many servers make before they answer (smtp-server's is 100 ms), which made an
 * announcement's mails ten per second at best. The outbox sends one at a time, so one connection;
 * closed after a quiet moment, so a server restarting (or a test stopping it) is not held open.
 */
export const SMTP_POOL = { pool: true, maxConnections: 1, maxMessages: 500, idleTimeout: 2_000 } as const;
/** After a send timed out, later sends fail at once (transient: the outbox retries them) for this long. */
export const SMTP_PAUSE_AFTER_TIMEOUT_MS = 30_000;

const MAIL_SERVER = "smtp";
/**
 * A success is written at most this often per process: an announcement's thousands of mails need
 * not all rewrite one row. Failures are always written. The page is at most this far behind.
 */
const OK_WRITE_EVERY_MS = 30_000;

export function createMailer(options: { db: Db; smtpUrl: string | null; from: string; clock: Clock; logger: Logger }): Mailer & { close(): void } {
  const { db, clock, logger } = options;
  let okWrittenAt = -Infinity;
  /**
   * Keeps what the mail server last answered for /staff/system. Never throws: a mail that went
   * must not be retried (and sent twice) because this bookkeeping failed.
   */
  async function remember(outcome: { lastOkAt: Date } | { lastFailedAt: Date; lastError: string }) {
    if ("lastOkAt" in outcome) {
      if (outcome.lastOkAt.getTime() - okWrittenAt < OK_WRITE_EVERY_MS) return;
      okWrittenAt = outcome.lastOkAt.getTime();
    } else {
      okWrittenAt = -Infinity; // the next success is written at once: the page must not go on saying "failing"
    }
    await db.mailServerStatus
      .upsert({ where: { id: MAIL_SERVER }, create: { id: MAIL_SERVER, ...outcome }, update: outcome })
      .catch((err: unknown) => logger.warn({ err }, "mail server status not recorded"));
  }
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS, ...SMTP_POOL });
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
          await remember({ lastFailedAt: clock.now(), lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
          throw error;
        }
        await remember({ lastOkAt: clock.now() });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message: OutgoingMail) {
      const info = await transport.sendMail({ from: options.from, ...message });
      const rendered = JSON.parse(String(info.message)) as { subject: string; text: string; html?: string };
      await db.mailMessage.create({
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

/** What the mail server last answered, as the mailer recorded it; null before any attempt. */
export function readMailServerStatus(db: Db) {
  return db.mailServerStatus.findUnique({ where: { id: MAIL_SERVER }, select: { lastOkAt: true, lastFailedAt: true, lastError: true } });
}
