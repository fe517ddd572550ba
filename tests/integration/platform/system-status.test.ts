/**
 * /staff/system's read: the outbox backlog (what waits, what is scheduled, what failed, and how
 * long the oldest has waited), what the mail server last answered as the outbox's mailer saw it,
 * whether the database and the search engine answer, this process's figures, and who may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSystemStatus } from "../../../app/modules/system/status.server.ts";
import { loader as systemLoader } from "../../../app/routes/staff.system.tsx";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import type { TestServices } from "../../support/services.ts";
import { HOUR, MINUTE, type MovableClock } from "../../support/clock.ts";
import { mailTestbed, type MailTestbed, type TestSmtp } from "../../support/smtp.ts";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";

// A real mail server (smtp-server) that the test starts and stops; the outbox dispatcher is not
// started, so the seeded events stay as they are written.
let testbed: MailTestbed | undefined;
let smtp: TestSmtp;
let services: TestServices;
let clock: MovableClock;

beforeAll(async () => {
  ({ smtp, services, clock } = testbed = await mailTestbed(new Date("2026-12-07T09:00:00Z")));
});
afterAll(() => testbed?.dispose());

const ago = (ms: number) => new Date(clock.now().getTime() - ms);
const later = (ms: number) => new Date(clock.now().getTime() + ms);

describe("the outbox backlog", () => {
  it("counts what waits (due, or retrying after a failure), what is scheduled for later and what failed for good, and dates the oldest waiting event from when it was due", async () => {
    const type = "test.system-status";
    const start = clock.now();
    await services.db.outboxEvent.createMany({
      data: [
        // Due half an hour ago, never tried: waiting for 30 minutes.
        { type, payload: {}, createdAt: ago(30 * MINUTE), availableAt: ago(30 * MINUTE) },
        // Written two hours ago and failed three times; its next try is in five minutes: waiting for 2 hours.
        { type, payload: {}, createdAt: ago(2 * HOUR), availableAt: later(5 * MINUTE), attempts: 3, lastError: "connect ECONNREFUSED" },
        // A reminder written three days ago for tomorrow: scheduled, no backlog.
        { type, payload: {}, createdAt: ago(72 * HOUR), availableAt: later(24 * HOUR) },
        { type, payload: {}, createdAt: ago(5 * HOUR), status: "dead", attempts: 8, lastError: "550 No such mailbox" },
        { type, payload: {}, createdAt: ago(9 * HOUR), status: "done", processedAt: ago(9 * HOUR) },
      ],
    });

    let { outbox } = await readSystemStatus(services);
    expect(outbox).toEqual({ waiting: 2, scheduled: 1, dead: 1, oldestDueAt: ago(2 * HOUR), oldestAgeMs: 2 * HOUR });

    // The retried one is delivered: the oldest waiting is now the half-hour one.
    await services.db.outboxEvent.updateMany({ where: { type, attempts: 3 }, data: { status: "done", processedAt: clock.now() } });
    clock.advance(10 * MINUTE);
    ({ outbox } = await readSystemStatus(services));
    expect(outbox).toMatchObject({ waiting: 1, scheduled: 1, dead: 1, oldestAgeMs: 40 * MINUTE });

    // The half-hour one goes too, and a day passes: the reminder fell due 10 minutes ago and
    // has waited since then, not since it was written three days before.
    await services.db.outboxEvent.updateMany({ where: { type, status: "pending", availableAt: { lt: start } }, data: { status: "done", processedAt: clock.now() } });
    clock.advance(24 * HOUR);
    ({ outbox } = await readSystemStatus(services));
    expect(outbox).toMatchObject({ waiting: 1, scheduled: 0, oldestDueAt: new Date(start.getTime() + 24 * HOUR), oldestAgeMs: 10 * MINUTE });

    await services.db.outboxEvent.deleteMany({ where: { type } });
    ({ outbox } = await readSystemStatus(services));
    expect(outbox).toEqual({ waiting: 0, scheduled: 0, dead: 0, oldestDueAt: null, oldestAgeMs: null });
  });
});

describe("the mail server", () => {
  const mail = { to: "lan@example.test", subject: "Xin chào", text: "Chào Lan" };

  it("shows no attempt before the first mail, a failure with its reason while the server is down, and working again as soon as it accepts one", async () => {
    expect((await readSystemStatus(services)).mail).toEqual({ smtpConfigured: true, lastOkAt: null, lastFailedAt: null, lastError: null });

    await expect(services.mailer.send(mail)).rejects.toThrow();
    const failedAt = clock.now();
    let status = (await readSystemStatus(services)).mail;
    expect(status).toMatchObject({ lastOkAt: null, lastFailedAt: failedAt });
    expect(status.lastError).toMatch(/ECONNREFUSED|connect/i);

    clock.advance(MINUTE);
    await smtp.start();
    await services.mailer.send(mail);
    const okAt = clock.now();
    status = (await readSystemStatus(services)).mail;
    expect(status).toMatchObject({ lastOkAt: okAt, lastFailedAt: failedAt });

    // Successes are written at most every 30 s (an announcement's mails need not each rewrite the row).
    clock.advance(10_000);
    await services.mailer.send(mail);
    expect((await readSystemStatus(services)).mail.lastOkAt).toEqual(okAt);
    clock.advance(25_000);
    await services.mailer.send(mail);
    expect((await readSystemStatus(services)).mail.lastOkAt).toEqual(clock.now());
    expect(smtp.received).toHaveLength(3);

    // ... except the first one after a failure, so the page does not go on saying "failing".
    await smtp.stop();
    clock.advance(1_000);
    await expect(services.mailer.send(mail)).rejects.toThrow();
    await smtp.start();
    clock.advance(1_000);
    await services.mailer.send(mail);
    status = (await readSystemStatus(services)).mail;
    expect(status.lastOkAt!.getTime()).toBeGreaterThan(status.lastFailedAt!.getTime());
  });
});

describe("the services and this process", () => {
  it("the database and the search engine answer, with how long they took; a search engine that hangs is shown not answering after the 2 s bound", async () => {
    const status = await readSystemStatus(services);
    expect(status.database).toMatchObject({ kind: process.env.RAPPORT_TEST_DB === "postgres" ? "postgres" : "pglite", reachable: true, timeoutMs: 2_000 });
    expect(status.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(status.search).toMatchObject({ engine: "postgres", reachable: true });

    const started = Date.now();
    const hanging = { ...services.search, ping: () => new Promise<void>(() => {}) };
    const { search } = await readSystemStatus({ ...services, search: hanging });
    expect(search).toEqual({ engine: "postgres", reachable: false, latencyMs: null, timeoutMs: 2_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("tells the version, when the process started and its event-loop delay", async () => {
    const { process: info } = await readSystemStatus(services);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.startedAt.getTime()).toBeLessThan(Date.now());
    expect(info.uptimeMs).toBeGreaterThan(0);
    const delay = info.eventLoopDelay;
    expect(delay.p50Ms).toBeGreaterThan(0);
    expect(delay.p99Ms).toBeGreaterThanOrEqual(delay.p50Ms);
    expect(delay.maxMs).toBeGreaterThanOrEqual(delay.p99Ms);
  });
});

describe("/staff/system", () => {
  const get = (who: Person | null) =>
    routeAnswer(() => systemLoader({ request: new Request(`${ORIGIN}/staff/system`), context: routeContext(services, who), params: {} }) as Promise<unknown>);

  it("is for admins: a visitor is sent to log in, members and staff are refused", async () => {
    expect(await get(null)).toMatchObject({ status: 302, location: expect.stringMatching(/^\/login/) });
    expect(await get(await createMember(services.db))).toMatchObject({ status: 403 });
    expect(await get(await createStaff(services.db))).toMatchObject({ status: 403 });
    const answer = await get(await createAdmin(services.db));
    expect(answer).toMatchObject({ status: 200, data: { status: { database: { reachable: true } } } });
  });
});
