import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import {
  createOutboxDispatcher,
  enqueueOutboxEvent,
  retryDeadEvent,
  type OutboxHandler,
} from "../../app/modules/outbox/outbox.server.ts";
import {
  emailNotificationHandler,
  inAppNotificationHandler,
  requestNotification,
} from "../../app/modules/notifications/notifications.server.ts";
import { createUser } from "../factories/users.ts";
import { createTestServices } from "../support/services.ts";
import type { BuiltServices } from "../../server/services.ts";

let services: BuiltServices & { dispose(): Promise<void> };
const logger = pino({ level: "silent" });
// Ahead of the database clock, which stamps availableAt with now() on insert.
let now = new Date(Date.now() + 60_000);
const clock = { now: () => now };

beforeAll(async () => {
  services = await createTestServices();
  services.clock = clock;
});
afterAll(async () => {
  await services.dispose();
});

function realHandlers() {
  return [
    inAppNotificationHandler({ db: services.db, realtime: services.realtime }),
    emailNotificationHandler({ db: services.db, mailer: services.mailer, settings: services.settings, secret: services.secrets.app }),
  ];
}

async function member() {
  return createUser(services.db, { passwordHash: "unused" });
}

describe("the outbox never loses a side effect", () => {
  it("delivers nothing from a transaction that rolled back", async () => {
    const m = await member();
    await services.db
      .$transaction(async (tx) => {
        await requestNotification(tx, { userId: m.id, kind: "preference.recorded_by_staff", data: { key: "notes" } });
        throw new Error("the write failed");
      })
      .catch(() => {});
    const dispatcher = createOutboxDispatcher({ db: services.db, clock, logger, handlers: realHandlers() });
    await dispatcher.drainNow();
    expect(await services.db.notification.count({ where: { userId: m.id } })).toBe(0);
  });

  it("retries a failing handler with backoff, dead-letters it after the last attempt, and an admin can revive it", async () => {
    let failing = true;
    const delivered: bigint[] = [];
    const flaky: OutboxHandler = {
      name: "test.flaky",
      handles: (type) => type === "test.flaky",
      async deliver(event) {
        if (failing) throw new Error("SMTP is down");
        delivered.push(event.id);
      },
    };
    await services.db.$transaction((tx) => enqueueOutboxEvent(tx, "test.flaky", { n: 1 }));
    const dispatcher = createOutboxDispatcher({ db: services.db, clock, logger, handlers: [flaky], maxAttempts: 3 });

    expect(await dispatcher.runOnce()).toBe(1);
    const afterFirst = await services.db.outboxEvent.findFirstOrThrow({ where: { type: "test.flaky" } });
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastError: "SMTP is down" });
    // Not retried before its backoff has passed.
    expect(await dispatcher.runOnce()).toBe(0);
    now = new Date(now.getTime() + 3_000);
    await dispatcher.runOnce();
    now = new Date(now.getTime() + 10_000);
    await dispatcher.runOnce();
    const dead = await services.db.outboxEvent.findFirstOrThrow({ where: { type: "test.flaky" } });
    expect(dead).toMatchObject({ status: "dead", attempts: 3 });

    failing = false;
    expect(await retryDeadEvent(services.db, dead.id, now)).toBe(true);
    await dispatcher.drainNow();
    expect(delivered).toEqual([dead.id]);
    expect((await services.db.outboxEvent.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe("done");
  });

  it("a dispatcher killed mid-batch loses nothing and delivers nothing twice", async () => {
    const members = await Promise.all(Array.from({ length: 4 }, () => member()));
    // Half of them want these notices by email too.
    for (const m of members.slice(0, 2)) {
      await services.db.notificationSetting.create({ data: { userId: m.id, kind: "preference.recorded_by_staff", channel: "email" } });
    }
    await services.db.$transaction(async (tx) => {
      for (let i = 0; i < 20; i++) {
        await requestNotification(tx, { userId: members[i % 4]!.id, kind: "preference.recorded_by_staff", data: { key: "notes", n: i } });
      }
    });
    const mailBefore = await services.db.mailMessage.count();

    // The first dispatcher writes bell entries, then hangs forever on the 8th event: as if killed.
    let seen = 0;
    const hang: OutboxHandler = {
      name: "test.crash",
      handles: () => true,
      async deliver() {
        seen += 1;
        if (seen === 8) await new Promise(() => {});
      },
    };
    const doomed = createOutboxDispatcher({ db: services.db, clock, logger, handlers: [...realHandlers(), hang], lockMs: 30_000 });
    void doomed.runOnce();
    await expect.poll(() => seen, { timeout: 10_000 }).toBe(8);
    const partial = await services.db.notification.count({ where: { userId: { in: members.map((m) => m.id) } } });
    expect(partial).toBeGreaterThanOrEqual(8);
    expect(partial).toBeLessThan(20);

    // A fresh dispatcher cannot take the batch while the dead one's lease runs…
    const fresh = createOutboxDispatcher({ db: services.db, clock, logger, handlers: realHandlers() });
    expect(await fresh.runOnce()).toBe(0);
    // …and takes it over once the lease has expired.
    now = new Date(now.getTime() + 31_000);
    await fresh.drainNow();

    const rows = await services.db.notification.findMany({
      where: { userId: { in: members.map((m) => m.id) } },
      select: { userId: true, data: true },
    });
    expect(rows).toHaveLength(20);
    const ns = rows.map((r) => (r.data as { n: number }).n).sort((a, b) => a - b);
    expect(ns).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Members 0 and 1 get 5 notices each by email: ten mails, none repeated.
    expect((await services.db.mailMessage.count()) - mailBefore).toBe(10);
    expect(await services.db.outboxEvent.count({ where: { status: { not: "done" }, type: "notification.requested" } })).toBe(0);
  });

  it("two dispatchers running side by side deliver each event once", async () => {
    const m = await member();
    await services.db.$transaction(async (tx) => {
      for (let i = 0; i < 30; i++) await requestNotification(tx, { userId: m.id, kind: "preference.recorded_by_staff", data: { n: i } });
    });
    const a = createOutboxDispatcher({ db: services.db, clock, logger, handlers: realHandlers(), batchSize: 5 });
    const b = createOutboxDispatcher({ db: services.db, clock, logger, handlers: realHandlers(), batchSize: 5 });
    await Promise.all([a.drainNow(), b.drainNow()]);
    expect(await services.db.notification.count({ where: { userId: m.id } })).toBe(30);
  });
});
