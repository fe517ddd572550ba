/** Builds the services object every module function receives. */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AppConfig } from "./config.ts";
import { openDatabase, type OpenDatabase } from "./db/open.ts";
import { createAuth } from "../app/modules/auth/lucia.server.ts";
import { createMailer } from "../app/modules/mail/mailer.server.ts";
import { createLocalStorage } from "../app/modules/storage/local-storage.server.ts";
import { createOutboxDispatcher, type OutboxDispatcher } from "../app/modules/outbox/outbox.server.ts";
import { emailNotificationHandler, inAppNotificationHandler } from "../app/modules/notifications/notifications.server.ts";
import { replyNotificationHandler } from "../app/modules/forums/watching.server.ts";
import { ideaNotificationHandler } from "../app/modules/ideas/notify.server.ts";
import { systemClock, type Clock, type Logger, type Realtime, type Services } from "../app/modules/services.server.ts";
import { DEFAULT_LOCALE } from "../app/i18n/locales.ts";
import { mailTexts } from "../app/i18n/mail-texts.ts";
import { isLocale } from "../app/modules/locales.ts";
import { touchpointLiveHandler } from "../app/modules/console/engagement.server.ts";
import { chatEmailHandler } from "../app/modules/chat/chat.server.ts";
import { taskReminderHandler } from "../app/modules/console/tasks.server.ts";
import { LIMITS } from "../app/modules/rate-limit/rate-limit.server.ts";
import { createSearchEngine } from "../app/modules/search/search.server.ts";
import { searchIndexHandler } from "../app/modules/search/indexing.server.ts";
import { accountMailHandler } from "../app/modules/auth/account-mail.server.ts";
import { announcementHandlers } from "../app/modules/announcements/delivery.server.ts";
import { offerIssueHandler } from "../app/modules/offers/offers.server.ts";
import { createDatabaseAvailability, type DatabaseAvailability } from "./db/availability.ts";
import { createRuntimeInfo } from "./runtime.ts";

export interface BuiltServices extends Services {
  realtime: Realtime & { attach(target: Realtime): void };
  database: OpenDatabase;
  dispatcher: OutboxDispatcher;
  availability: DatabaseAvailability;
  close(): Promise<void>;
}

/** Emits are dropped until socket.io attaches (CLI commands never attach). */
export function lateBoundRealtime(): BuiltServices["realtime"] {
  let target: Realtime | null = null;
  return {
    attach(next) {
      target = next;
    },
    toUser(userId, event, ...args) {
      target?.toUser(userId, event, ...args);
    },
    toRoom(room, event, ...args) {
      target?.toRoom(room, event, ...args);
    },
    async onlineUsers(userIds) {
      return target ? target.onlineUsers(userIds) : new Set();
    },
    leaveRooms(userIds, rooms) {
      target?.leaveRooms(userIds, rooms);
    },
    async leaveRoomsUnlessRole(rooms, roles, notice) {
      await target?.leaveRoomsUnlessRole(rooms, roles, notice);
    },
    async closeSockets(userId, which) {
      await target?.closeSockets(userId, which);
    },
  };
}

/**
 * Outside production a missing APP_SECRET is generated once and kept beside
 * the embedded database, so unsubscribe links survive restarts.
 */
async function devSecret(dataDir: string | null) {
  if (!dataDir) return randomBytes(32).toString("base64url");
  const file = path.join(dataDir, "app-secret");
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing && existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString("base64url");
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

export type ServiceConfig = Pick<
  AppConfig,
  "database" | "smtpUrl" | "mailFrom" | "publicUrl" | "secureCookies" | "isProduction" | "appSecret" | "uploadsDir" | "dataDir"
> & { loginMaxPerIp?: number; meili?: AppConfig["meili"] };

export async function buildServices(
  config: ServiceConfig,
  logger: Logger,
  database?: OpenDatabase,
  options: { clock?: Clock } = {},
): Promise<BuiltServices> {
  const opened = database ?? (await openDatabase(config.database));
  const db = opened.db;
  const clock = options.clock ?? systemClock;
  // Read through the services object so tests that move the clock move it here too.
  const currentClock: Clock = { now: () => services.clock.now() };
  const mailer = createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom, clock: currentClock, logger });
  const runtime = createRuntimeInfo({ databaseKind: opened.kind, smtpConfigured: !!config.smtpUrl });
  const realtime = lateBoundRealtime();
  const settings = {
    publicUrl: config.publicUrl,
    secureCookies: config.secureCookies,
    isProduction: config.isProduction,
    devMailbox: !config.isProduction && !config.smtpUrl,
    defaultLocale: DEFAULT_LOCALE,
    loginMaxPerIp: config.loginMaxPerIp ?? LIMITS.loginPerIp.max,
  };
  const secret = config.appSecret ?? (await devSecret(config.database.kind === "pglite" ? config.dataDir : null));
  const search = createSearchEngine(db, config.meili);
  const dispatcher = createOutboxDispatcher({
    db,
    clock: currentClock,
    logger,
    handlers: [
      inAppNotificationHandler({ db, realtime }),
      emailNotificationHandler({ db, mailer, settings, secret, texts: mailTexts }),
      replyNotificationHandler({ db }),
      ideaNotificationHandler({ db }),
      chatEmailHandler({ db, realtime }),
      taskReminderHandler({ db }),
      touchpointLiveHandler({ db, realtime, clock: currentClock }),
      searchIndexHandler({ db, search }),
      accountMailHandler({ db, mailer, settings, clock: currentClock, texts: mailTexts }),
      offerIssueHandler({ db, clock: currentClock, realtime }),
      ...announcementHandlers({
        db,
        mailer,
        settings,
        secret,
        realtime,
        logger,
        clock: currentClock,
        mailText: (locale, key, vars) => mailTexts.message(isLocale(locale) ? locale : DEFAULT_LOCALE, key, vars),
      }),
    ],
  });
  const services: BuiltServices = {
    db,
    database: opened,
    auth: createAuth(db, { secureCookies: config.secureCookies }),
    mailer,
    clock,
    realtime,
    logger,
    settings,
    outbox: { kick: () => dispatcher.kick() },
    secrets: { app: secret },
    storage: createLocalStorage(config.uploadsDir),
    search,
    dispatcher,
    availability: createDatabaseAvailability(() => db.$queryRaw`SELECT 1`, logger),
    runtime,
    async close() {
      services.availability.stop();
      runtime.stop();
      await dispatcher.stop();
      mailer.close();
      await opened.close();
    },
  };
  return services;
}
