/**
 * Sending an announcement, after the commit, through the outbox (docs/decisions/017):
 *
 * - "announcement.start" (at its time) makes one delivery row per member of the audience:
 *   pending with consent for the topic, excluded without (counted, never sent to). Unique per
 *   member and announcement and inserted with skipDuplicates, so running it again adds nothing.
 *   It then enqueues one "announcement.batch" per slice of pending rows.
 * - "announcement.batch" claims up to BATCH pending rows with one conditional UPDATE … FOR
 *   UPDATE SKIP LOCKED (pending → sending, a claim token and a lease), so two instances never hold
 *   the same row. Before a mail leaves, the claimant sets emailAttemptAt where it is still null:
 *   only one attempt can ever win that, so no member is mailed twice for one announcement, even
 *   if a process dies mid-batch. A row whose lease ran out goes back to pending when no mail was
 *   attempted; when one was, whether it left is unknown, so it is marked failed, never re-sent.
 * - Paused: batches claim nothing; resume enqueues start again, which enqueues fresh batches.
 * - Contact hours (../members/contact-hours.ts): when the mail would reach a member outside the
 *   hours they chose, the in-app card goes now and the row goes back to pending, not before the
 *   window's next opening (emailHeldUntil says why), with a batch enqueued for that moment. The
 *   hold is written in one transaction with its batch, so a held row is never left without one.
 *
 * Consent is asked again for each batch as it is sent: a member who withdrew it after the audience
 * was made is excluded then.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Clock, Db, Logger, Mailer, PublicSettings, Realtime } from "../services.server";
import type { Actor } from "../policy/actor";
import type { MessageKey } from "~/i18n/en";
import { enqueueOutboxEvent, isTransientFailure, type OutboxEventRow, type OutboxHandler } from "../outbox/outbox.server";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { newSortableId } from "../ids.server";
import { usableTimeZone, zonedInstant } from "../calendar";
import { recordConsent } from "../members/consent.server";
import { nextContactOpening } from "../members/contact-hours";
import { ANNOUNCEMENT_TEST_SEND } from "./announcements.server";
import { getSegment, segmentPageByConsent } from "../segments/segments.server";
import {
  ANNOUNCEMENT_BATCH,
  ANNOUNCEMENT_START,
  clickAddress,
  createTopicUnsubscribeToken,
  readClickToken,
  readTopicUnsubscribeToken,
  recipientFacts,
  recipientsFacts,
  renderForMember,
  type Recipient,
} from "./render.server";
import type { AnnouncementTopic } from "./schema";

export const BATCH = 50;
/** How long a claimed row is one dispatcher's; longer than a batch of mail takes. */
export const LEASE_MS = 5 * 60_000;
const MATERIALIZE_PAGE = 1_000;

/** The mail's own words (greeting, footer), localized by the edge that builds the services. */
export type MailText = (locale: string, key: MessageKey, vars?: Record<string, string | number>) => string;

export interface DeliveryDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  realtime: Realtime;
  settings: PublicSettings;
  secret: string;
  logger: Logger;
  mailText: MailText;
}

const idOf = (event: OutboxEventRow) => {
  const id = (event.payload as { announcementId?: unknown } | null)?.announcementId;
  return typeof id === "string" ? id : null;
};

/** Thrown so the outbox tries the batch again later: rows are held by a lease that may belong to a dead process. */
class RowsStillLeased extends Error {}

export function announcementHandlers(deps: DeliveryDeps): OutboxHandler[] {
  return [startHandler(deps), batchHandler(deps), testSendHandler(deps)];
}

function startHandler(deps: DeliveryDeps): OutboxHandler {
  const { db, clock } = deps;
  return {
    name: "announcements.start",
    handles: (type) => type === ANNOUNCEMENT_START,
    async deliver(event) {
      const id = idOf(event);
      if (!id) return;
      const now = clock.now();
      // Its time has come (a rescheduled one's earlier event finds the new time still ahead).
      await db.announcement.updateMany({ where: { id, status: "scheduled", scheduledAt: { lte: now } }, data: { status: "sending", startedAt: now } });
      const a = await db.announcement.findUnique({
        where: { id },
        select: { id: true, status: true, segmentId: true, topic: true, localWall: true, materializedAt: true, sender: { select: { id: true, role: true } } },
      });
      if (!a || a.status !== "sending") return;
      if (!a.materializedAt) await materialize(deps, a);
      // One slice of batches per moment members may receive it (one moment unless it goes by their time).
      const groups = await db.announcementDelivery.groupBy({ by: ["notBefore"], where: { announcementId: id, status: { in: ["pending", "sending"] } }, _count: { _all: true } });
      if (!groups.length) return void (await finishIfDone(db, id, now));
      await db.$transaction(async (tx) => {
        for (const group of groups) {
          const due = group.notBefore && group.notBefore > now ? group.notBefore : undefined;
          for (let i = 0; i < Math.ceil(group._count._all / BATCH); i++) await enqueueOutboxEvent(tx, ANNOUNCEMENT_BATCH, { announcementId: id }, due);
        }
      });
    },
  };
}

/** The audience as delivery rows, a page of members at a time, keyed by member id. */
async function materialize(deps: DeliveryDeps, a: { id: string; segmentId: string; topic: string; localWall: string | null; sender: { id: string; role: string } | null }) {
  const { db, clock } = deps;
  const now = clock.now();
  // A sender who no longer exists reaches nobody: the scope is theirs.
  const segment = a.sender ? await getSegment(deps, a.segmentId) : null;
  if (a.sender && segment) {
    // One pass in member id order, consent read beside each member: a page at a time, each page
    // written with skipDuplicates so a restart mid-way only fills in what is missing.
    let after: string | null = null;
    for (;;) {
      const page = await segmentPageByConsent(deps, a.sender as Actor, segment.definition, a.topic, after, MATERIALIZE_PAGE);
      if (!page.length) break;
      await db.announcementDelivery.createMany({
        data: page.map((m) => ({ id: newSortableId(now), announcementId: a.id, memberId: m.id, status: m.consenting ? "pending" : "excluded", notBefore: theirMoment(a.localWall, m.timezone), createdAt: now })),
        skipDuplicates: true,
      });
      after = page.at(-1)!.id;
      if (page.length < MATERIALIZE_PAGE) break;
    }
  }
  const [audienceCount, excludedCount] = await Promise.all([
    db.announcementDelivery.count({ where: { announcementId: a.id, status: { not: "excluded" } } }),
    db.announcementDelivery.count({ where: { announcementId: a.id, status: "excluded" } }),
  ]);
  await db.announcement.update({ where: { id: a.id }, data: { materializedAt: now, audienceCount, excludedCount } });
}

/** "9:00 their time": the instant that wall-clock time happens in the member's zone; null when it goes to everyone at once. */
function theirMoment(localWall: string | null, timeZone: string) {
  const parts = localWall ? /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(localWall) : null;
  return parts ? zonedInstant(parts[1]!, Number(parts[2]), Number(parts[3]), usableTimeZone(timeZone)) : null;
}

async function finishIfDone(db: Db, id: string, now: Date) {
  const open = await db.announcementDelivery.count({ where: { announcementId: id, status: { in: ["pending", "sending"] } } });
  if (!open) await db.announcement.updateMany({ where: { id, status: "sending" }, data: { status: "sent", finishedAt: now } });
}

type Claimed = { id: string; memberId: string; inAppAt: Date | null; emailAttemptAt: Date | null };

async function claim(db: Db, announcementId: string, token: string, now: Date): Promise<Claimed[]> {
  // A lease that ran out after a mail was attempted: its outcome is unknown, so it is not sent again.
  await db.announcementDelivery.updateMany({
    where: { announcementId, status: "sending", leaseUntil: { lt: now }, emailAttemptAt: { not: null }, emailAt: null },
    data: { status: "failed", error: "interrupted" },
  });
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  return db.$queryRaw<Claimed[]>`
    UPDATE "AnnouncementDelivery" SET "status" = 'sending', "claimToken" = ${token}, "leaseUntil" = ${leaseUntil}
    WHERE "id" IN (
      SELECT "id" FROM "AnnouncementDelivery"
      WHERE "announcementId" = ${announcementId}
        AND ("status" = 'pending' OR ("status" = 'sending' AND "leaseUntil" < ${now} AND "emailAttemptAt" IS NULL))
        AND ("notBefore" IS NULL OR "notBefore" <= ${now})
      ORDER BY "id" LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "memberId", "inAppAt", "emailAttemptAt"`;
}

function batchHandler(deps: DeliveryDeps): OutboxHandler {
  const { db, clock } = deps;
  return {
    name: "announcements.batch",
    handles: (type) => type === ANNOUNCEMENT_BATCH,
    async deliver(event) {
      const id = idOf(event);
      if (!id) return;
      const a = await db.announcement.findUnique({ where: { id }, select: { id: true, status: true, topic: true, inApp: true, email: true, titleVi: true, titleEn: true, bodyVi: true, bodyEn: true } });
      // Paused (or gone): this batch claims nothing; resuming enqueues new ones.
      if (!a || a.status !== "sending") return;
      const token = randomBytes(12).toString("base64url");
      const rows = await claim(db, id, token, clock.now());
      if (rows.length) await deliverBatch(deps, a, rows, token);
      const now = clock.now();
      await finishIfDone(db, id, now);
      if (!rows.length) {
        const held = await db.announcementDelivery.count({ where: { announcementId: id, status: "sending" } });
        if (held) throw new RowsStillLeased(`announcement ${id}: ${held} rows are leased; trying again after the lease`);
      }
    },
  };
}

type Held = { id: string; until: Date };

/** Rows whose mail waits for the member's hours: pending again, not before the opening, and a batch then. */
async function holdForContactHours(db: Db, announcementId: string, token: string, held: Held[]) {
  const byOpening = new Map<number, string[]>();
  for (const { id, until } of held) byOpening.set(until.getTime(), [...(byOpening.get(until.getTime()) ?? []), id]);
  await db.$transaction(async (tx) => {
    for (const [at, ids] of byOpening) {
      const until = new Date(at);
      const moved = await tx.announcementDelivery.updateMany({
        where: { id: { in: ids }, claimToken: token, status: "sending", emailAttemptAt: null },
        data: { status: "pending", notBefore: until, emailHeldUntil: until, claimToken: null, leaseUntil: null },
      });
      for (let i = 0; i < Math.ceil(moved.count / BATCH); i++) await enqueueOutboxEvent(tx, ANNOUNCEMENT_BATCH, { announcementId }, until);
    }
  });
}

type Sendable = { id: string; topic: string; inApp: boolean; email: boolean; titleVi: string; titleEn: string; bodyVi: string; bodyEn: string };

/**
 * The claimed rows, read and written a batch at a time where that cannot send anything twice: the
 * members' facts and consent (asked now, after the claim), the excluded ones, the bell entries
 * (keyed by announcement and member, and marked on the row). Each mail then goes one at a time:
 * its attempt is marked before it leaves and its row finished after, so a process dying
 * mid-batch costs at most the one copy in flight.
 */
async function deliverBatch(deps: DeliveryDeps, a: Sendable, rows: Claimed[], token: string) {
  const { db, clock } = deps;
  const mine = { claimToken: token, status: "sending" as const };
  const memberIds = rows.map((r) => r.memberId);
  const [members, consents] = await Promise.all([
    recipientsFacts(db, memberIds),
    db.memberConsent.findMany({ where: { memberId: { in: memberIds }, channel: a.topic, granted: true }, select: { memberId: true } }),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  const consenting = new Set(consents.map((c) => c.memberId));
  const copies: Copy[] = [];
  const excluded = { gone: [] as string[], no_consent: [] as string[] };
  for (const row of rows) {
    const member = byId.get(row.memberId);
    if (!member || member.deletedAt) excluded.gone.push(row.id);
    else if (!consenting.has(member.id)) excluded.no_consent.push(row.id);
    else copies.push({ row, member, content: renderForMember(a, member, clickAddress(deps.settings.publicUrl, deps.secret, member.id, a.id)) });
  }
  for (const [error, ids] of Object.entries(excluded)) {
    if (ids.length) await db.announcementDelivery.updateMany({ where: { ...mine, id: { in: ids } }, data: { status: "excluded", error } });
  }

  const bell = a.inApp ? copies.filter((c) => !c.row.inAppAt) : [];
  if (bell.length) {
    // The bell entry is keyed by announcement and member: written at most once whoever retries.
    await db.$transaction(async (tx) => {
      await tx.notification.createMany({
        data: bell.map(({ member, content }) => ({ id: newSortableId(clock.now()), userId: member.id, kind: "announcement.published", data: { title: content.title }, link: `/announcements/${a.id}`, sourceKey: `announcement:${a.id}:${member.id}` })),
        skipDuplicates: true,
      });
      await tx.announcementDelivery.updateMany({ where: { ...mine, id: { in: bell.map((c) => c.row.id) } }, data: { inAppAt: clock.now() } });
    });
    // A new unread count only for those with the site open: nobody else is listening.
    const online = await deps.realtime.onlineUsers(bell.map((c) => c.member.id));
    for (const userId of online) deps.realtime.toUser(userId, "notification:count", { unread: await db.notification.count({ where: { userId, readAt: null } }) });
  }

  const held: Held[] = [];
  try {
    for (const copy of copies) {
      const hold = await finishCopy(deps, a, copy, token);
      if (hold) held.push(hold);
    }
  } finally {
    // Also when a later row's mail server failed: these rows are done with for now.
    if (held.length) await holdForContactHours(db, a.id, token, held);
  }
}

type Copy = { row: Claimed; member: Recipient; content: ReturnType<typeof renderForMember> };

/** One copy's mail and its row; answers the moment to come back when the mail waits for the member's contact hours. */
async function finishCopy(deps: DeliveryDeps, a: Sendable, { row, member, content }: Copy, token: string): Promise<Held | null> {
  const { db, clock } = deps;
  const mine = { id: row.id, claimToken: token, status: "sending" as const };
  let emailAt: Date | null = null;
  if (a.email && !row.emailAttemptAt) {
    // Outside the hours the member chose for email: the card above is theirs now, the mail waits.
    const opening = nextContactOpening(clock.now(), member.contactWindow, usableTimeZone(member.timezone));
    if (opening) return { id: row.id, until: opening };
    const won = await db.announcementDelivery.updateMany({ where: { ...mine, emailAttemptAt: null }, data: { emailAttemptAt: clock.now() } });
    if (!won.count) return null; // the lease was lost: whoever has the row now decides
    try {
      await deps.mailer.send(composeMail(deps, a, member, content));
      emailAt = clock.now();
    } catch (error) {
      if (isTransientFailure(error)) {
        // Refused before it left (the server is down): safe to try again later, with the batch.
        await db.announcementDelivery.updateMany({ where: mine, data: { status: "pending", emailAttemptAt: null, claimToken: null, leaseUntil: null } });
        throw error;
      }
      await db.announcementDelivery.updateMany({ where: mine, data: { status: "failed", error: (error instanceof Error ? error.message : String(error)).slice(0, 500) } });
      return null;
    }
  }

  await db.$transaction(async (tx) => {
    // Lost in a database crash, this copy would only read "interrupted" (failed, never re-sent): the
    // attempt mark above waited for the disk, this need not (it halves the flushes per copy).
    await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
    const now = clock.now();
    const done = await tx.announcementDelivery.updateMany({ where: mine, data: { status: "sent", sentAt: now, ...(emailAt ? { emailAt } : {}) } });
    if (!done.count) return;
    await recordTouchpoint(tx, {
      memberId: member.id,
      kind: "announcement.delivered",
      subject: { type: "announcement", id: a.id },
      data: { title: content.title, channels: [a.inApp ? "in_app" : null, a.email ? "email" : null].filter(Boolean).join(",") },
      at: now,
    });
  });
  return null;
}

function composeMail(deps: DeliveryDeps, a: Pick<Sendable, "id" | "topic">, member: Recipient, content: ReturnType<typeof renderForMember>) {
  const { settings, secret, mailText } = deps;
  const unsubscribe = `${settings.publicUrl}/announcements/unsubscribe?token=${encodeURIComponent(createTopicUnsubscribeToken(secret, member.id, a.id, a.topic as AnnouncementTopic))}`;
  const link = `${settings.publicUrl}/announcements/${a.id}`;
  const topic = mailText(content.lang, `consent.${a.topic}` as MessageKey);
  const footer = mailText(content.lang, "announcement.mail.footer", { topic, unsubscribe, link });
  return {
    to: member.email,
    subject: content.title,
    text: `${content.text}\n\n-- \n${footer}`,
    html: `${content.html}<hr><p>${escapeHtml(footer).replace(/\n/g, "<br>")}</p>`,
    // RFC 8058: a mail client's one click is a POST to this address, with no log-in.
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sender's own copy, rendered with their own facts, by email; not a delivery, not a touchpoint. */
function testSendHandler(deps: DeliveryDeps): OutboxHandler {
  return {
    name: "announcements.test_send",
    handles: (type) => type === ANNOUNCEMENT_TEST_SEND,
    async deliver(event) {
      const { announcementId, userId } = event.payload as { announcementId?: string; userId?: string };
      if (typeof announcementId !== "string" || typeof userId !== "string") return;
      const [a, me] = await Promise.all([
        deps.db.announcement.findUnique({ where: { id: announcementId }, select: { id: true, topic: true, titleVi: true, titleEn: true, bodyVi: true, bodyEn: true } }),
        recipientFacts(deps.db, userId),
      ]);
      if (!a || !me || me.deletedAt) return;
      const content = renderForMember(a, me);
      const mail = composeMail(deps, a, me, content);
      await deps.mailer.send({ ...mail, subject: deps.mailText(content.lang, "announcement.mail.testSubject", { title: content.title }) });
    },
  };
}

/**
 * One click from the mail, signed in or not: consent to the topic is withdrawn (history and
 * current state), and the announcement records who left through it. Again is harmless.
 */
export const unsubscribeFromTopic = defineCommand({
  name: "announcement.unsubscribe",
  anonymous: true,
  ref: z.object({ token: z.string().max(2_000) }),
  load: async (services, { token }) => readTopicUnsubscribeToken(services.secrets.app, token) ?? fail.because("invalid"),
  async run({ tx, now, touchpoint, audit }, _input, parsed) {
    const member = await tx.user.findUnique({ where: { id: parsed.memberId }, select: { id: true, deletedAt: true } });
    if (!member || member.deletedAt) return fail.because("invalid");
    const current = await tx.memberConsent.findUnique({ where: { memberId_channel: { memberId: member.id, channel: parsed.topic } }, select: { granted: true } });
    if (current?.granted) {
      await recordConsent(tx, { memberId: member.id, channel: parsed.topic, granted: false, source: "unsubscribe", actorId: null, at: now });
      await touchpoint({ memberId: member.id, kind: "consent.changed", actorId: member.id, data: { channel: parsed.topic, granted: false } });
    }
    const marked = await tx.announcementDelivery.updateMany({ where: { announcementId: parsed.announcementId, memberId: member.id, unsubscribedAt: null }, data: { unsubscribedAt: now } });
    if (marked.count) {
      await touchpoint({ memberId: member.id, kind: "announcement.unsubscribed", actorId: member.id, subject: { type: "announcement", id: parsed.announcementId }, data: { channel: parsed.topic } });
      await audit({ action: "announcement.unsubscribed", targetMemberId: member.id, subject: { type: "announcement", id: parsed.announcementId }, data: { topic: parsed.topic } });
    }
    return { ok: true, topic: parsed.topic };
  },
});

/** A peek for the confirmation page. */
export function describeTopicUnsubscribe(secret: string, token: string) {
  const parsed = readTopicUnsubscribeToken(secret, token);
  return parsed ? { state: "usable" as const, topic: parsed.topic } : { state: "invalid" as const };
}

/**
 * A link followed from an announcement (mail or card), through the signed redirect: the first
 * click is recorded on the copy and as a touchpoint; every click goes on to the link.
 */
export const recordAnnouncementClick = defineCommand({
  name: "announcement.clicked",
  anonymous: true,
  ref: z.object({ token: z.string().max(4_000) }),
  load: async (services, { token }) => readClickToken(services.secrets.app, token),
  async run({ tx, now, touchpoint }, _input, click) {
    const first = await tx.announcementDelivery.updateMany({ where: { announcementId: click.announcementId, memberId: click.memberId, clickedAt: null }, data: { clickedAt: now } });
    if (first.count) await touchpoint({ memberId: click.memberId, kind: "announcement.clicked", actorId: click.memberId, subject: { type: "announcement", id: click.announcementId }, data: { url: click.url.slice(0, 300) } });
    return { ok: true, url: click.url };
  },
});
