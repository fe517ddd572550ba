/**
 * In-app notifications and their email twin. A producer asks for a
 * notification inside its transaction (an outbox event); the handlers below
 * write the bell entry and send the email, each exactly once in effect.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, Mailer, Realtime, PublicSettings } from "../services.server";
import type { Tx } from "../db-types.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import { newSortableId } from "../ids.server";
import { isLocale } from "../locales";
import { hmac, newToken, safeEqual } from "../tokens.server";
import type { MailTexts } from "../mail/texts";
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  isNotificationKind,
  notificationKindsFor,
  type NotificationChannelName,
  type NotificationKind,
} from "./kinds";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";

export const NOTIFICATION_REQUESTED = "notification.requested";

export interface NotificationRequest {
  userId: string;
  kind: NotificationKind;
  data?: Record<string, string | number | null>;
  link?: string | null;
  /** Plain text the email carries below its one-line summary (the bell shows the summary only). */
  detail?: string | null;
}

export async function requestNotification(tx: Tx, request: NotificationRequest) {
  await enqueueOutboxEvent(tx, NOTIFICATION_REQUESTED, { ...request });
}

export async function channelFor(db: Db | Tx, userId: string, kind: NotificationKind): Promise<NotificationChannelName> {
  const setting = await db.notificationSetting.findUnique({
    where: { userId_kind: { userId, kind } },
    select: { channel: true },
  });
  return setting?.channel ?? NOTIFICATION_KINDS[kind];
}

export async function getNotificationSettings(db: Db, userId: string, role: string) {
  const rows = await db.notificationSetting.findMany({ where: { userId }, select: { kind: true, channel: true } });
  const chosen = Object.fromEntries(rows.map((r) => [r.kind, r.channel]));
  return notificationKindsFor(role).map((kind) => ({ kind, channel: (chosen[kind] ?? NOTIFICATION_KINDS[kind]) as NotificationChannelName }));
}

/** How one kind of notification reaches its reader: in the app, by email, or not at all. */
export const setNotificationChannel = defineCommand({
  name: "notification.set_channel",
  who: (actor) => can(actor, "notification.own"),
  input: z.object({
    kind: z.string().refine(isNotificationKind, "validation.required"),
    channel: z.enum(NOTIFICATION_CHANNELS, { errorMap: () => ({ message: "validation.required" }) }),
  }),
  async run({ tx, actor }, { kind, channel }) {
    await tx.notificationSetting.upsert({ where: { userId_kind: { userId: actor.id, kind } }, create: { userId: actor.id, kind, channel }, update: { channel } });
    return { ok: true };
  },
});

export async function countUnread(db: Db, userId: string) {
  return db.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(db: Db, userId: string, options: { before?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const rows = await db.notification.findMany({
    where: { userId, ...(options.before ? { id: { lt: options.before } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, kind: true, data: true, link: true, readAt: true, createdAt: true },
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

// Ownership is in the where clause: another member's id matches nothing.
export const markNotificationRead = defineCommand({
  name: "notification.mark_read",
  who: (actor) => can(actor, "notification.own"),
  input: z.object({ id: z.string().max(64).default("") }),
  async run({ tx, now, actor, toUser }, { id }) {
    await tx.notification.updateMany({ where: { id, userId: actor.id, readAt: null }, data: { readAt: now } });
    toUser(actor.id, "notification:count", { unread: await tx.notification.count({ where: { userId: actor.id, readAt: null } }) });
    return { ok: true };
  },
});

export const markAllNotificationsRead = defineCommand({
  name: "notification.mark_all_read",
  who: (actor) => can(actor, "notification.own"),
  async run({ tx, now, actor, toUser }) {
    await tx.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: now } });
    toUser(actor.id, "notification:count", { unread: 0 });
    return { ok: true };
  },
});

function parseRequest(payload: unknown): NotificationRequest | null {
  const p = payload as Partial<NotificationRequest> | null;
  if (!p || typeof p.userId !== "string" || typeof p.kind !== "string" || !isNotificationKind(p.kind)) return null;
  return { userId: p.userId, kind: p.kind, data: p.data ?? {}, link: p.link ?? null, detail: typeof p.detail === "string" ? p.detail : null };
}

/** Writes the bell entry; the unique sourceKey makes a redelivery a no-op. */
export function inAppNotificationHandler(services: { db: Db; realtime: Realtime }): OutboxHandler {
  return {
    name: "notifications.in_app",
    handles: (type) => type === NOTIFICATION_REQUESTED,
    async deliver(event) {
      const request = parseRequest(event.payload);
      if (!request) return;
      const channel = await channelFor(services.db, request.userId, request.kind);
      if (channel === "off") return;
      const user = await services.db.user.findUnique({ where: { id: request.userId }, select: { deletedAt: true } });
      if (!user || user.deletedAt) return;
      const created = await services.db.notification.createMany({
        data: [
          {
            id: newSortableId(),
            userId: request.userId,
            kind: request.kind,
            data: (request.data ?? {}) as Prisma.InputJsonValue,
            link: request.link ?? null,
            sourceKey: `${event.id}:in_app`,
          },
        ],
        skipDuplicates: true,
      });
      if (created.count) {
        services.realtime.toUser(request.userId, "notification:count", { unread: await countUnread(services.db, request.userId) });
      }
    },
  };
}

export function emailNotificationHandler(services: {
  db: Db;
  mailer: Mailer;
  settings: PublicSettings;
  secret: string;
  texts: MailTexts;
}): OutboxHandler {
  return {
    name: "notifications.email",
    handles: (type) => type === NOTIFICATION_REQUESTED,
    async deliver(event) {
      const request = parseRequest(event.payload);
      if (!request) return;
      if ((await channelFor(services.db, request.userId, request.kind)) !== "email") return;
      const user = await services.db.user.findUnique({
        where: { id: request.userId },
        select: { email: true, displayName: true, locale: true, timezone: true, deletedAt: true },
      });
      if (!user || user.deletedAt) return;
      const locale = isLocale(user.locale) ? user.locale : services.settings.defaultLocale;
      const body = services.texts.notification(user.locale, request.kind, request.data, user.timezone);
      const unsubscribe = `${services.settings.publicUrl}/unsubscribe?token=${encodeURIComponent(
        createUnsubscribeToken(services.secret, request.userId, request.kind),
      )}`;
      const link = request.link ? `${services.settings.publicUrl}${request.link}` : services.settings.publicUrl;
      await services.mailer.send({
        to: user.email,
        subject: body,
        text: services.texts.message(locale, "notification.mailBody", { name: user.displayName, body: request.detail ? `${body}\n\n${request.detail}` : body, link, unsubscribe }),
        headers: {
          "List-Unsubscribe": `<${unsubscribe}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
    },
  };
}

/** userId.kind.nonce, signed: works without a log-in, once. */
export function createUnsubscribeToken(secret: string, userId: string, kind: NotificationKind) {
  const body = Buffer.from(JSON.stringify({ u: userId, k: kind, n: newToken() })).toString("base64url");
  return `${body}.${hmac(secret, `unsubscribe:${body}`)}`;
}

export function readUnsubscribeToken(secret: string, token: string) {
  const [body, signature] = token.split(".");
  if (!body || !signature || !safeEqual(signature, hmac(secret, `unsubscribe:${body}`))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { u?: string; k?: string; n?: string };
    if (!parsed.u || !parsed.k || !parsed.n || !isNotificationKind(parsed.k)) return null;
    return { userId: parsed.u, kind: parsed.k, nonce: parsed.n };
  } catch {
    return null;
  }
}

/** One click in an email, signed in or not: the token says whose setting, and works once. */
export const unsubscribe = defineCommand({
  name: "notification.unsubscribe",
  anonymous: true,
  ref: z.object({ token: z.string().max(2_000) }),
  load: async (services, { token }) => readUnsubscribeToken(services.secrets.app, token) ?? fail.because("invalid"),
  async run({ tx }, _input, parsed) {
    const used = await tx.usedUnsubscribeToken.createMany({ data: [{ nonce: parsed.nonce }], skipDuplicates: true });
    if (used.count === 0) return fail.because("used");
    const user = await tx.user.findUnique({ where: { id: parsed.userId }, select: { id: true } });
    if (!user) return fail.because("invalid");
    await tx.notificationSetting.upsert({
      where: { userId_kind: { userId: parsed.userId, kind: parsed.kind } },
      create: { userId: parsed.userId, kind: parsed.kind, channel: "in_app" },
      update: { channel: "in_app" },
    });
    return { ok: true, kind: parsed.kind };
  },
});

/** A peek for the confirmation page, without using the token. */
export async function describeUnsubscribeToken(db: Db, secret: string, token: string) {
  const parsed = readUnsubscribeToken(secret, token);
  if (!parsed) return { state: "invalid" as const };
  const used = await db.usedUnsubscribeToken.findUnique({ where: { nonce: parsed.nonce }, select: { nonce: true } });
  return used ? { state: "used" as const } : { state: "usable" as const, kind: parsed.kind };
}
