/**
 * The outbox: side effects written in the same transaction as the change,
 * delivered at least once by the dispatcher, exactly once in effect.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import {
  backoffMs,
  createOutboxDispatcher,
  enqueueOutboxEvent,
  listDeadEvents,
  outboxStats,
  purgeDoneEvents,
  retryDeadEvent,
  type OutboxDispatcher,
  type OutboxHandler,
} from "../../../app/modules/outbox/outbox.server.ts";
import { requestNotification, setNotificationChannel, type NotificationRequest } from "../../../app/modules/notifications/notifications.server.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import type { Mailer } from "../../../app/modules/services.server.ts";
import { createMember } from "../../factories/actors.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { MINUTE, movableClock, type MovableClock } from "../../support/clock.ts";
import { never, notificationHandlers } from "../../support/relationship.ts";

const services = servicesForThisFile();
const logger = pino({ level: "silent" });
let clock: MovableClock;

beforeAll(() => {
  // Ahead of the database's own clock, which stamps availableAt on insert.
  clock = movableClock(new Date(Date.now() + MINUTE));
  services.clock = clock;
});

function dispatcher(handlers: OutboxHandler[], options: { maxAttempts?: number; lockMs?: number; batchSize?: number } = {}) {
  return createOutboxDispatcher({ db: services.db, clock, logger, handlers, ...options });
}

/** A handler for one event type that counts what it was given, per event. */
function countingHandler(type: string, behaviour: (event: { id: bigint }) => Promise<void> = async () => {}) {
  const deliveries = new Map<bigint, number>();
  const handler: OutboxHandler = {
    name: `test.${type}`,
    handles: (t) => t === type,
    async deliver(event) {
      await behaviour(event);
      deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1);
    },
  };
  return { handler, deliveries };
}

const eventsOfType = (type: string) => services.db.outboxEvent.findMany({ where: { type }, orderBy: { id: "asc" } });

describe("an event is part of the transaction that wrote it", () => {
  it("a change that rolled back leaves nothing to deliver; the same change committed is delivered", async () => {
    const member = await createMember(services.db);
    const { handler, deliveries } = countingHandler("test.rollback");

    await expect(
      services.db.$transaction(async (tx) => {
        await enqueueOutboxEvent(tx, "test.rollback", { memberId: member.id });
        await requestNotification(tx, { userId: member.id, kind: "account.security" });
        throw new Error("the write failed after the events were queued");
      }),
    ).rejects.toThrow("the write failed");
    await dispatcher([handler, ...notificationHandlers(services)]).drainNow();
    expect(await eventsOfType("test.rollback")).toEqual([]);
    expect(deliveries.size).toBe(0);
    expect(await services.db.notification.count({ where: { userId: member.id } })).toBe(0);
    expect(await services.db.mailMessage.count({ where: { to: member.email } })).toBe(0);

    await services.db.$transaction(async (tx) => {
      await enqueueOutboxEvent(tx, "test.rollback", { memberId: member.id });
      await requestNotification(tx, { userId: member.id, kind: "account.security" });
    });
    await dispatcher([handler, ...notificationHandlers(services)]).drainNow();
    expect([...deliveries.values()]).toEqual([1]);
    expect(await services.db.notification.count({ where: { userId: member.id } })).toBe(1);
    expect(await services.db.mailMessage.count({ where: { to: member.email } })).toBe(1);
  });
});

describe("a failing side effect is retried, then set aside for an admin", () => {
  it("waits 2 s, 4 s, 8 s between attempts, is dead after the last one, and an admin's retry delivers it once", async () => {
    let smtpUp = false;
    let attempt = 0;
    const { handler, deliveries } = countingHandler("test.flaky", async () => {
      attempt += 1;
      if (!smtpUp) throw new Error(`SMTP is down (attempt ${attempt})`);
    });
    const worker = dispatcher([handler], { maxAttempts: 4 });
    await services.db.$transaction((tx) => enqueueOutboxEvent(tx, "test.flaky", { n: 1 }));
    const [queued] = await eventsOfType("test.flaky");

    const waits: number[] = [];
    for (let i = 1; i <= 3; i++) {
      expect(await worker.runOnce()).toBe(1);
      const row = await services.db.outboxEvent.findUniqueOrThrow({ where: { id: queued!.id } });
      expect(row).toMatchObject({ status: "pending", attempts: i, lastError: `SMTP is down (attempt ${i})`, lockedUntil: null });
      const wait = row.availableAt.getTime() - clock.now().getTime();
      waits.push(wait);
      // One millisecond early, it is left alone…
      clock.advance(wait - 1);
      expect(await worker.runOnce()).toBe(0);
      // …and on time, it is tried again.
      clock.advance(1);
    }
    expect(waits).toEqual([2_000, 4_000, 8_000]);
    expect(backoffMs(30)).toBe(10 * MINUTE);

    expect(await worker.runOnce()).toBe(1);
    const dead = await services.db.outboxEvent.findUniqueOrThrow({ where: { id: queued!.id } });
    expect(dead).toMatchObject({ status: "dead", attempts: 4, lastError: "SMTP is down (attempt 4)" });
    // A dead event is never picked up again on its own, however long we wait.
    clock.advance(24 * 60 * MINUTE);
    expect(await worker.drainNow()).toBe(0);
    expect(attempt).toBe(4);
    expect((await listDeadEvents(services.db)).map((e) => e.id)).toContain(dead.id);
    expect((await outboxStats(services.db)).dead).toBeGreaterThanOrEqual(1);

    smtpUp = true;
    expect(await retryDeadEvent(services.db, dead.id, clock.now())).toBe(true);
    // Retrying twice is harmless: the second finds nothing dead.
    expect(await retryDeadEvent(services.db, dead.id, clock.now())).toBe(false);
    await worker.drainNow();
    expect(deliveries.get(dead.id)).toBe(1);
    const done = await services.db.outboxEvent.findUniqueOrThrow({ where: { id: dead.id } });
    expect(done).toMatchObject({ status: "done", lastError: null });
    expect(done.processedAt).not.toBeNull();
    expect((await listDeadEvents(services.db)).map((e) => e.id)).not.toContain(dead.id);
  });

  it("when only the email fails, the bell entry is not written again on the retries", async () => {
    const member = await createMember(services.db);
    let refusals = 2;
    const flakySmtp: Mailer = {
      async send(message) {
        if (refusals-- > 0) throw new Error("421 try again later");
        await services.mailer.send(message);
      },
    };
    const worker = dispatcher(notificationHandlers(services, flakySmtp));
    await services.db.$transaction((tx) =>
      requestNotification(tx, { userId: member.id, kind: "account_manager.changed", data: { name: "James Carter" } }),
    );
    await worker.runOnce();
    clock.advance(2_000);
    await worker.runOnce();
    clock.advance(4_000);
    await worker.runOnce();

    expect(await services.db.notification.count({ where: { userId: member.id } })).toBe(1);
    expect(await services.db.mailMessage.count({ where: { to: member.email } })).toBe(1);
    const event = await services.db.outboxEvent.findFirstOrThrow({
      where: { type: "notification.requested", payload: { path: ["userId"], equals: member.id } },
      include: { deliveries: { select: { handler: true } } },
    });
    expect(event).toMatchObject({ status: "done", attempts: 2 });
    expect(event.deliveries.map((d) => d.handler).sort()).toEqual(["notifications.email", "notifications.in_app"]);
  });
});

describe("nothing is lost across a restart", () => {
  it("events queued while the app was down are delivered by the dispatcher of the next start", async () => {
    const { handler, deliveries } = countingHandler("test.restart");
    const before = dispatcher([handler], { batchSize: 2 });
    await before.stop(); // the app shuts down
    // While it is down, writers (a CLI, another instance) keep queueing.
    await services.db.$transaction(async (tx) => {
      for (let n = 0; n < 5; n++) await enqueueOutboxEvent(tx, "test.restart", { n });
    });
    expect(deliveries.size).toBe(0);

    // A new process: a new dispatcher over the same database, running on its own timer.
    const after = createOutboxDispatcher({ db: services.db, clock, logger, handlers: [handler], batchSize: 2, pollMs: 10 });
    after.start();
    try {
      await expect.poll(() => deliveries.size, { timeout: 10_000 }).toBe(5);
    } finally {
      await after.stop();
    }
    expect([...deliveries.values()]).toEqual([1, 1, 1, 1, 1]);
    expect((await eventsOfType("test.restart")).map((e) => e.status)).toEqual(["done", "done", "done", "done", "done"]);
  });
});

describe("a dispatcher killed mid-batch", () => {
  const KINDS = ["account_manager.changed", "preference.recorded_by_staff"] as const;

  /** Twenty notices for four members; one of them wants staff notes by email too. */
  async function twentyRequests() {
    const members = await Promise.all(Array.from({ length: 4 }, () => createMember(services.db)));
    await setNotificationChannel(services, { id: members[0]!.id, role: "member" as const }, { kind: "preference.recorded_by_staff", channel: "email" });
    const requests: (NotificationRequest & { email: string; locale: string; byEmail: boolean })[] = Array.from({ length: 20 }, (_, n) => {
      const member = members[n % 4]!;
      const kind = KINDS[Math.floor(n / 4) % 2]!;
      return {
        userId: member.id,
        kind,
        data: { n, name: `Quản lý số ${n}`, key: `ghi chú ${n}` },
        email: member.email,
        locale: member.locale,
        byEmail: kind === "account_manager.changed" || member === members[0],
      };
    });
    await services.db.$transaction(async (tx) => {
      for (const r of requests) await requestNotification(tx, { userId: r.userId, kind: r.kind, data: r.data });
    });
    return { members, requests };
  }

  const variants = [
    { story: "SMTP stalls on the 5th email, after its bell entry was written", stallAtMail: 5, stallAtEvent: null },
    { story: "a later handler hangs on the 9th event, after its bell entry and email", stallAtMail: null, stallAtEvent: 9 },
  ];

  it.each(variants)("$story: a fresh dispatcher finishes the work, each notice once", async ({ stallAtMail, stallAtEvent }) => {
    const { members, requests } = await twentyRequests();
    const mailBefore = await services.db.mailMessage.count();

    let stalled = false;
    let mails = 0;
    const stallingSmtp: Mailer = {
      async send(message) {
        if (++mails === stallAtMail) {
          stalled = true;
          await never();
        }
        await services.mailer.send(message);
      },
    };
    let events = 0;
    const fanOut: OutboxHandler = {
      name: "test.fan_out",
      handles: () => true,
      async deliver() {
        if (++events === stallAtEvent) {
          stalled = true;
          await never();
        }
      },
    };
    const doomed: OutboxDispatcher = dispatcher([...notificationHandlers(services, stallingSmtp), fanOut], { lockMs: 30_000 });
    void doomed.runOnce();
    await expect.poll(() => stalled, { timeout: 10_000 }).toBe(true);
    // The process is killed here: the dispatcher is simply never heard from again.

    const memberIds = members.map((m) => m.id);
    const written = await services.db.notification.count({ where: { userId: { in: memberIds } } });
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(20);

    // While the dead dispatcher's lease runs, nobody else takes its batch…
    const fresh = dispatcher(notificationHandlers(services));
    expect(await fresh.runOnce()).toBe(0);
    // …once it has run out, a fresh dispatcher finishes the work.
    clock.advance(30_001);
    await fresh.drainNow();

    const rows = await services.db.notification.findMany({ where: { userId: { in: memberIds } }, select: { userId: true, kind: true, data: true } });
    const perRequest = requests.map((r) => rows.filter((row) => row.userId === r.userId && (row.data as { n: number }).n === r.data!.n).length);
    expect(perRequest).toEqual(requests.map(() => 1));

    const kept = await services.db.mailMessage.findMany({ where: { to: { in: members.map((m) => m.email) } }, select: { to: true, subject: true } });
    const mailsPerRequest = requests.map(
      (r) => kept.filter((m) => m.to === r.email && m.subject === renderNotification(r.locale, r.kind, r.data)).length,
    );
    expect(mailsPerRequest).toEqual(requests.map((r) => (r.byEmail ? 1 : 0)));
    expect((await services.db.mailMessage.count()) - mailBefore).toBe(requests.filter((r) => r.byEmail).length);
    expect(await services.db.outboxEvent.count({ where: { status: { not: "done" }, type: "notification.requested" } })).toBe(0);
  });
});

describe("several dispatchers side by side (several app instances)", () => {
  it("share the work without delivering any event twice", async () => {
    const member = await createMember(services.db);
    // A new account queues its own search.sync (ADR 010): settle it so only this test's 80 remain.
    await dispatcher([]).drainNow();
    // Slow enough that the dispatchers' batches overlap in time.
    const { handler, deliveries } = countingHandler("test.shared", () => new Promise((resolve) => setTimeout(resolve, 2)));
    await services.db.$transaction(async (tx) => {
      for (let n = 0; n < 40; n++) {
        await enqueueOutboxEvent(tx, "test.shared", { n });
        await requestNotification(tx, { userId: member.id, kind: "preference.recorded_by_staff", data: { n } });
      }
    });
    const workers = [1, 2, 3].map(() => dispatcher([handler, ...notificationHandlers(services)], { batchSize: 5 }));
    const handled = await Promise.all(workers.map((w) => w.drainNow()));

    expect(handled.every((n) => n > 0)).toBe(true);
    expect(handled.reduce((a, b) => a + b, 0)).toBe(80);
    expect(deliveries.size).toBe(40);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(await services.db.notification.count({ where: { userId: member.id } })).toBe(40);
    expect(await services.db.outboxEvent.count({ where: { status: "pending" } })).toBe(0);
  });
});

describe("done events do not pile up", () => {
  it("a running dispatcher deletes done events older than the retention, keeps newer ones and every pending or dead one", async () => {
    const DAY = 24 * 60 * MINUTE;
    const now = clock.now().getTime();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    const make = (status: "done" | "pending" | "dead", daysAgo: number) =>
      services.db.outboxEvent.create({
        data: { type: "test.retention", payload: { status, daysAgo }, status, availableAt: at(daysAgo), createdAt: at(daysAgo), processedAt: status === "done" ? at(daysAgo) : null },
        select: { id: true },
      });
    const oldDone = await make("done", 9);
    await services.db.outboxDelivery.create({ data: { eventId: oldDone.id, handler: "test.retention" } });
    const recentDone = await make("done", 2);
    // Dead and pending events are kept whatever their age: an admin may still retry them.
    const oldDead = await make("dead", 30);
    const oldPending = await make("pending", 30);

    const running = createOutboxDispatcher({ db: services.db, clock, logger, handlers: [], pollMs: 10, retentionMs: 7 * DAY });
    running.start();
    try {
      await expect.poll(() => services.db.outboxEvent.count({ where: { id: oldDone.id } }), { timeout: 10_000 }).toBe(0);
    } finally {
      await running.stop();
    }
    const left = (await eventsOfType("test.retention")).map((e) => e.id);
    expect(left).toEqual(expect.arrayContaining([recentDone.id, oldDead.id, oldPending.id]));
    expect(await services.db.outboxDelivery.count({ where: { eventId: oldDone.id } })).toBe(0);
    await services.db.outboxEvent.deleteMany({ where: { id: { in: [oldDead.id, oldPending.id] } } });
  });

  it("purges in batches until none is left", async () => {
    const old = new Date(clock.now().getTime() - 10 * 24 * 60 * MINUTE);
    await services.db.outboxEvent.createMany({
      data: Array.from({ length: 2_500 }, (_, n) => ({ type: "test.retention-bulk", payload: { n }, status: "done" as const, availableAt: old, processedAt: old })),
    });
    expect(await purgeDoneEvents(services.db, clock.now())).toBeGreaterThanOrEqual(2_500);
    expect(await services.db.outboxEvent.count({ where: { type: "test.retention-bulk" } })).toBe(0);
  });
});
