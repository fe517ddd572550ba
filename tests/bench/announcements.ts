/**
 * Announcements benchmark (issue 18): one announcement (in-app and email) to 100,000 consenting
 * members on a scratch PostgreSQL database, delivered by the real outbox dispatcher through the
 * real mailer over SMTP to a sink server this bench starts (smtp-server). It times the enqueue
 * (send now → every delivery row exists) and the delivery (in-app copies per second, and mails
 * per second that the sink accepted, each member at most once), beside a reference in the same
 * run: plain nodemailer handing the same number of mails straight to the same sink, with the
 * same transport settings, so the ratio is our overhead per copy. Figures only, never pass/fail,
 * except that a mail counted twice or missing is reported loudly.
 *
 *   npm run bench -- announcements [--members 10000]   (or BENCH_ANNOUNCEMENT_MEMBERS)
 *
 * PostgreSQL only, like the segments bench: skipped with a message without BENCH_DATABASE_URL.
 * BENCH_SMTP_PORT picks the sink's port (a free one otherwise).
 */
import path from "node:path";
import os from "node:os";
import { mkdtemp, rm } from "node:fs/promises";
import nodemailer from "nodemailer";
import { pino } from "pino";
import { openDatabase } from "../../server/db/open.ts";
import { buildServices } from "../../server/services.ts";
import { SMTP_POOL, SMTP_TIMEOUTS } from "../../app/modules/mail/mailer.server.ts";
import { createAnnouncement, scheduleAnnouncement } from "../../app/modules/announcements/announcements.server.ts";
import { createSegment } from "../../app/modules/segments/segments.server.ts";
import type { Actor } from "../../app/modules/policy/actor.ts";
import { EVERYONE } from "../factories/outreach.ts";
import { seedMembers } from "./segments.ts";
import { countingSmtpSink, freePort, positiveNumber, scratchPostgres } from "./support.ts";

function membersWanted() {
  const at = process.argv.indexOf("--members");
  if (at > 0) {
    const n = Number(process.argv[at + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--members must be a positive whole number, got "${process.argv[at + 1]}"`);
    return n;
  }
  return positiveNumber("BENCH_ANNOUNCEMENT_MEMBERS", 100_000);
}

const TOPIC = "product_updates";
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");

export async function runAnnouncementsBench() {
  const members = membersWanted();
  const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL, "_announcements", process.env.BENCH_DB_PREFIX ?? "rapport_bench_");
  if (!scratch) {
    console.log("\nAnnouncements bench skipped: set BENCH_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres); it runs on PostgreSQL only.");
    return;
  }
  const sink = await countingSmtpSink(Number(process.env.BENCH_SMTP_PORT) || (await freePort()));
  const opened = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: 4 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-announcements-"));
  const services = await buildServices(
    {
      database: { kind: "postgres", url: scratch.url },
      smtpUrl: sink.url,
      mailFrom: "Rapport <no-reply@bench.test>",
      publicUrl: "http://127.0.0.1:3420",
      secureCookies: false,
      isProduction: true,
      appSecret: "bench-secret-bench-secret-bench-secret-01",
      dataDir,
      uploadsDir: path.join(dataDir, "uploads"),
    },
    pino({ level: "warn" }),
    opened,
  );
  try {
    const db = services.db;
    const loadStarted = Date.now();
    await seedMembers(db, members);
    // Everyone said yes to product news: the whole population is the audience.
    await db.$executeRawUnsafe(`INSERT INTO "MemberConsent" ("memberId", channel, granted, "updatedAt") SELECT 'm' || g, '${TOPIC}', true, now() FROM generate_series(1, ${members}) g`);
    await db.$executeRawUnsafe(`ANALYZE "MemberConsent"`);
    // The load's own side effects (a search-index event per member, from a trigger) are not this bench's to time.
    await db.$executeRawUnsafe(`DELETE FROM "OutboxEvent"`);
    console.log(`\nAnnouncements on PostgreSQL: ${members.toLocaleString("en")} consenting members (loaded in ${seconds(Date.now() - loadStarted)} s), in-app and email, over SMTP to ${sink.url}`);

    // The reference: the same number of mails, of the same size, handed to the same sink by nodemailer alone.
    const raw = nodemailer.createTransport({ url: sink.url, ...SMTP_TIMEOUTS, ...SMTP_POOL });
    const body = "Xin chào, đây là tin sản phẩm tháng này. ".repeat(8);
    const refStarted = Date.now();
    for (let g = 1; g <= members; g++) {
      await raw.sendMail({ from: "Rapport <no-reply@bench.test>", to: `m${g}@bench.test`, subject: "Tin sản phẩm", text: body, html: `<p>${body}</p>` });
    }
    const refMs = Date.now() - refStarted;
    raw.close();
    const refAccepted = sink.accepted();
    sink.reset();

    const admin: Actor = { id: "staff0", role: "admin" };
    const segment = await createSegment(services, admin, { name: "Everyone", definition: EVERYONE });
    if (!segment.ok) throw new Error(`segment not saved: ${JSON.stringify(segment)}`);
    const created = await createAnnouncement(services, admin, {
      segmentId: segment.id,
      topic: TOPIC,
      channels: ["in_app", "email"],
      titleVi: "Tin sản phẩm",
      titleEn: "Product news",
      bodyVi: "Chào {{member.firstName}}, đây là tin sản phẩm tháng này từ {{manager.name}}. [Xem thêm](https://shop.example/news)",
      bodyEn: "Hello {{member.firstName}}, this month's product news from {{manager.name}}. [Read more](https://shop.example/news)",
    });
    if (!created.ok) throw new Error(`announcement not created: ${JSON.stringify(created)}`);
    const id = created.id;

    // Enqueue: "send now", then the dispatcher's first round runs the start event alone (the batches it enqueues come after).
    const enqueueStarted = Date.now();
    const sent = await scheduleAnnouncement(services, admin, { announcementId: id, when: "now" });
    if (!sent.ok) throw new Error(`not sent: ${JSON.stringify(sent)}`);
    while (!(await db.announcement.findUniqueOrThrow({ where: { id }, select: { materializedAt: true } })).materializedAt) await services.dispatcher.runOnce();
    const enqueueMs = Date.now() - enqueueStarted;
    const [rows, batches] = await Promise.all([
      db.announcementDelivery.count({ where: { announcementId: id, status: "pending" } }),
      db.outboxEvent.count({ where: { type: "announcement.batch", status: "pending" } }),
    ]);

    // Delivery: one dispatcher (one server instance), until the announcement is sent (it records when).
    const deliveryStarted = Date.now();
    let lastReport = deliveryStarted;
    let finishedAt: Date | null = null;
    while (!finishedAt) {
      const n = await services.dispatcher.runOnce();
      finishedAt = (await db.announcement.findUniqueOrThrow({ where: { id }, select: { finishedAt: true } })).finishedAt;
      if (!finishedAt && !n) throw new Error("the outbox ran dry before the announcement was sent");
      if (Date.now() - lastReport > 60_000) {
        lastReport = Date.now();
        console.log(`  … ${sink.accepted().toLocaleString("en")} mails accepted after ${seconds(lastReport - deliveryStarted)} s`);
      }
    }
    const deliveryMs = finishedAt.getTime() - deliveryStarted;
    // Every copy left a touchpoint whose event the engagement handler reads (a score recomputed per
    // member): the same dispatcher drains them, for at most BENCH_DRAIN_SECONDS, and we say the rate.
    const drainLimitMs = positiveNumber("BENCH_DRAIN_SECONDS", 120) * 1000;
    const waitingBefore = await db.outboxEvent.count({ where: { status: "pending" } });
    const drainStarted = Date.now();
    while (Date.now() - drainStarted < drainLimitMs && (await services.dispatcher.runOnce()) > 0);
    const drainMs = Date.now() - drainStarted;
    const waitingAfter = await db.outboxEvent.count({ where: { status: "pending" } });
    const [inApp, byStatus] = await Promise.all([
      db.notification.count({ where: { sourceKey: { startsWith: `announcement:${id}:` } } }),
      db.announcementDelivery.groupBy({ by: ["status"], where: { announcementId: id }, _count: { _all: true } }),
    ]);
    const accepted = sink.accepted();
    const twice = sink.twice();
    const missing = members - sink.distinct();
    console.log(`  enqueue: ${seconds(enqueueMs)} s for ${rows.toLocaleString("en")} delivery rows and ${batches.toLocaleString("en")} batch events`);
    console.table({
      "reference: nodemailer → sink": { copies: refAccepted, seconds: seconds(refMs), "per second": rate(refAccepted, refMs), "×ref time": "1.0" },
      "announcement: in-app copies": { copies: inApp, seconds: seconds(deliveryMs), "per second": rate(inApp, deliveryMs), "×ref time": "" },
      "announcement: mails accepted by the sink": { copies: accepted, seconds: seconds(deliveryMs), "per second": rate(accepted, deliveryMs), "×ref time": (deliveryMs / refMs).toFixed(1) },
      "touchpoint events after it (engagement)": { copies: waitingBefore - waitingAfter, seconds: seconds(drainMs), "per second": rate(waitingBefore - waitingAfter, drainMs), "×ref time": "" },
    });
    if (waitingAfter) console.log(`  ${waitingAfter.toLocaleString("en")} touchpoint events still waiting after ${seconds(drainMs)} s (left undone)`);
    console.log(`  deliveries: ${byStatus.map((s) => `${s._count._all.toLocaleString("en")} ${s.status}`).join(", ")}`);
    if (twice || missing) console.log(`  !! ${twice} members got a mail more than once, ${missing} got none`);
    else console.log(`  every member got exactly one mail (${accepted.toLocaleString("en")} accepted, none twice)`);
  } finally {
    await services.close();
    await sink.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB) console.log(`  kept the database for EXPLAIN: ${scratch.url}`);
    else await scratch.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !process.argv[1]?.endsWith("run.ts")) {
  runAnnouncementsBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
