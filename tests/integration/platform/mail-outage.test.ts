import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestPasswordReset } from "../../../app/modules/auth/password-reset.server.ts";
import { signUp, verifyEmail } from "../../../app/modules/auth/signup.server.ts";
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from "../../../app/modules/outbox/outbox.server.ts";
import { createTestServices, type TestServices } from "../../support/services.ts";
import type { MovableClock } from "../../support/clock.ts";
import { mailTestbed, type MailTestbed, type TestSmtp } from "../../support/smtp.ts";
import { freeLocalPort } from "../../support/ports.ts";

// The mail server is a real one (smtp-server) that the test stops, starts and makes refuse.
let testbed: MailTestbed | undefined;
let smtp: TestSmtp;
let services: TestServices;
let clock: MovableClock;

beforeAll(async () => {
  ({ smtp, services, clock } = testbed = await mailTestbed());
});
afterAll(() => testbed?.dispose());

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

describe("mail while the mail server hangs", () => {
  it("a server that takes the connection and never answers holds the outbox up once, not once per mail; the mail stays pending", async () => {
    // A firewall that drops packets or a wedged server: nodemailer would wait minutes per message,
    // and the outbox, one event at a time, would hold every other event up as long.
    const connections: Socket[] = [];
    const silent = createServer((socket) => {
      connections.push(socket);
      socket.on("error", () => {});
    });
    const port = await freeLocalPort();
    await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
    // A short greeting timeout through SMTP_URL, so the story takes a second, not the default ten.
    const hanging = await createTestServices({ smtpUrl: `smtp://127.0.0.1:${port}?greetingTimeout=1000` });
    try {
      for (const name of ["Hà", "Minh", "Thu"]) {
        const email = `${name.normalize("NFD").replace(/[^a-z]/gi, "").toLowerCase()}-${Date.now()}@example.test`;
        await signUp(hanging, { email, displayName: `Lê ${name}`, password: "mưa ngâu tháng bảy", locale: "vi" }, device());
      }
      await hanging.dispatcher.drainNow();
      const events = await hanging.db.outboxEvent.findMany({ where: { type: "account.mail" }, orderBy: { id: "asc" }, select: { status: true, lastError: true } });
      expect(events.map((e) => e.status)).toEqual(["pending", "pending", "pending"]);
      // The first mail waited for a greeting until the timeout; the next two did not connect at all.
      expect(connections).toHaveLength(1);
      expect(events[0]!.lastError).toMatch(/Greeting never received/);
      expect(events[2]!.lastError).toMatch(/timed out a moment ago/);
    } finally {
      connections.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
      await hanging.dispose();
    }
  }, 30_000);
});
