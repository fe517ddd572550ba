/** Builds the services object every module function receives. */
import type { AppConfig } from "./config.ts";
import { openDatabase, type OpenDatabase } from "./db/open.ts";
import { createAuth } from "../app/modules/auth/lucia.server.ts";
import { createMailer } from "../app/modules/mail/mailer.server.ts";
import { systemClock, type Logger, type Realtime, type Services } from "../app/modules/services.server.ts";
import { DEFAULT_LOCALE } from "../app/i18n/locales.ts";

export interface BuiltServices extends Services {
  realtime: Realtime & { attach(target: Realtime): void };
  database: OpenDatabase;
  close(): Promise<void>;
}

/** Emits are dropped until socket.io attaches (CLI commands never attach). */
function lateBoundRealtime(): BuiltServices["realtime"] {
  let target: Realtime | null = null;
  return {
    attach(next) {
      target = next;
    },
    toUser(userId, event, payload) {
      target?.toUser(userId, event, payload);
    },
  };
}

export async function buildServices(
  config: Pick<AppConfig, "database" | "smtpUrl" | "mailFrom" | "publicUrl" | "secureCookies" | "isProduction">,
  logger: Logger,
  database?: OpenDatabase,
): Promise<BuiltServices> {
  const opened = database ?? (await openDatabase(config.database));
  const db = opened.db;
  const mailer = createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom });
  return {
    db,
    database: opened,
    auth: createAuth(db, { secureCookies: config.secureCookies }),
    mailer,
    clock: systemClock,
    realtime: lateBoundRealtime(),
    logger,
    settings: {
      publicUrl: config.publicUrl,
      secureCookies: config.secureCookies,
      isProduction: config.isProduction,
      devMailbox: !config.isProduction && !config.smtpUrl,
      defaultLocale: DEFAULT_LOCALE,
    },
    async close() {
      mailer.close();
      await opened.close();
    },
  };
}
