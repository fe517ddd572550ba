import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestPasswordReset } from "../../app/modules/auth/password-reset.server.ts";
import { signUp, verifyEmail } from "../../app/modules/auth/signup.server.ts";
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from "../../app/modules/outbox/outbox.server.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { movableClock, type MovableClock } from "../support/clock.ts";
import { testSmtp, type TestSmtp } from "../support/smtp.ts";

// The mail server is a real one (smtp-server) that the test stops, starts and makes refuse.
let smtp: TestSmtp;
let services: TestServices;
let clock: MovableClock;

beforeAll(async () => {
  smtp = await testSmtp();
  services = await createTestServices({ smtpUrl: smtp.url });
  clock = movableClock();
  services.clock = clock;
});
afterAll(async () => {
  await services?.dispose();
  await smtp?.stop();
});

let n = 0;
const device = () => ({ ip: `10.9.0.${++n}`, userAgent: "test" });

async function accountMailEvents() {
  return services.db.outboxEvent.findMany({
    where: { type: "account.mail" },
    orderBy: { id: "asc" },
    select: { status: true, attempts: true, lastError: true },
  });
}

/** Lets the clock pass the next retry and runs the dispatcher once, as its poll would. */
async function retry(times: number, attemptsSoFar: number) {
  for (let i = 1; i <= times; i++) {
    clock.advance(backoffMs(attemptsSoFar + i) + 1);
    await services.dispatcher.drainNow();
  }
}

describe("mail while the mail server is down", () => {
  it("signing up and asking for a reset answer at once; the mail waits in the outbox past the usual attempts and goes when the server is back", async () => {
    const email = `lan-${Date.now()}@example.test`;
    const result = await signUp(services, { email, displayName: "Nguyễn Lan", password: "hoa sữa cuối thu", locale: "vi" }, device());
    expect(result.ok).toBe(true);
    expect(await requestPasswordReset(services, null, { email }, device())).toEqual({ ok: true });

    await services.dispatcher.drainNow();
    let events = await accountMailEvents();
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.status === "pending" && e.attempts === 1)).toBe(true);
    expect(events[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);

    // Well beyond the attempts after which a bug's event is dead-lettered: still waiting.
    await retry(DEFAULT_MAX_ATTEMPTS + 2, 1);
    events = await accountMailEvents();
    expect(events.map((e) => e.status)).toEqual(["pending", "pending"]);
    expect(events[0]!.attempts).toBe(DEFAULT_MAX_ATTEMPTS + 3);
    expect(smtp.received).toHaveLength(0);

    await smtp.start();
    await retry(1, DEFAULT_MAX_ATTEMPTS + 3);
    expect((await accountMailEvents()).map((e) => e.status)).toEqual(["done", "done"]);
    const [verify, reset] = smtp.received;
    expect(verify!.to).toMatchObject({ text: email });
    expect(verify!.subject).toBe("Xác nhận email của bạn cho Rapport");
    expect(reset!.text).toMatch(/\/reset-password\?token=/);
    // The link in the delayed mail works: its token was made when the mail was sent.
    const token = new URL(verify!.text!.match(/https?:\/\/\S+/)![0]).searchParams.get("token")!;
    expect(await verifyEmail(services, null, { token })).toMatchObject({ ok: true });
  });

  it("a greylisting server (451, try later) delays the mail; a server that rejects the address (550) dead-letters it after the usual attempts", async () => {
    await smtp.start(); // already up after the story above, if it ran
    await services.db.outboxEvent.deleteMany({ where: { type: "account.mail" } });
    const greylisted = `mai-${Date.now()}@example.test`;
    await signUp(services, { email: greylisted, displayName: "Trần Mai", password: "phố cổ về đêm", locale: "en" }, device());
    smtp.refuseWith = 451;
    await services.dispatcher.drainNow();
    await retry(DEFAULT_MAX_ATTEMPTS, 1);
    expect((await accountMailEvents()).map((e) => e.status)).toEqual(["pending"]);

    smtp.refuseWith = 550;
    await retry(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS + 1);
    const [event] = await accountMailEvents();
    expect(event!.status).toBe("dead");
    expect(event!.lastError).toMatch(/550|No such mailbox/);
    smtp.refuseWith = null;
  });
});
