/**
 * Helpers for the relationship-core stories: the member's timeline as a
 * list of kinds, what realtime would have pushed, and the real mailer with
 * a record of what was handed to it (headers included, which the kept
 * MailMessage does not store).
 */
import type { Db, Mailer, OutgoingMail, Realtime } from "../../app/modules/services.server.ts";
import { listTimeline } from "../../app/modules/timeline/touchpoints.server.ts";
import {
  emailNotificationHandler,
  inAppNotificationHandler,
} from "../../app/modules/notifications/notifications.server.ts";
import type { BuiltServices } from "../../server/services.ts";
import { mailTexts } from "../../app/i18n/mail-texts.ts";

/** The member's timeline, newest first, as kinds. */
export async function timelineKinds(db: Db, memberId: string) {
  return (await listTimeline(db, memberId, { limit: 100 })).items.map((item) => item.kind);
}

export interface Emit {
  to: string;
  event: string;
  payload: unknown;
}

/** Attaches a listener where socket.io would be, and returns what it hears. */
export function listenToRealtime(services: BuiltServices) {
  const emits: Emit[] = [];
  const target: Realtime = {
    toUser: (userId, event, ...args) => void emits.push({ to: `user:${userId}`, event, payload: args[0] }),
    toRoom: (room, event, ...args) => void emits.push({ to: room, event, payload: args[0] }),
    // Nobody has a socket open here.
    onlineUsers: async () => new Set(),
    leaveRooms: (userIds, rooms) => emits.push({ to: userIds.map((id) => `user:${id}`).join(","), event: "leaveRooms", payload: rooms }),
    leaveRoomsUnlessRole: async (rooms, roles) => void emits.push({ to: roles.join(","), event: "leaveRoomsUnlessRole", payload: rooms }),
    closeSockets: async (userId, which) => void emits.push({ to: `user:${userId}`, event: "closeSockets", payload: which ?? {} }),
  };
  services.realtime.attach(target);
  return emits;
}

/** The real mailer, remembering each message (with headers) it was given. */
export function recordingMailer(inner: Mailer) {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(message: OutgoingMail) {
      sent.push(message);
      await inner.send(message);
    },
  } satisfies Mailer & { sent: OutgoingMail[] };
}

/** The production notification handlers, built over these services (optionally another mailer). */
export function notificationHandlers(services: BuiltServices, mailer: Mailer = services.mailer) {
  return [
    inAppNotificationHandler({ db: services.db, realtime: services.realtime }),
    emailNotificationHandler({ db: services.db, mailer, settings: services.settings, secret: services.secrets.app, texts: mailTexts }),
  ];
}

/** A promise that never settles: a process frozen or killed mid-call. */
export function never(): Promise<never> {
  return new Promise<never>(() => {});
}
