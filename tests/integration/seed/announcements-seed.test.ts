/** The demo's announcements: two sent (only to members who consented), one scheduled that goes out at its time. */
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../../../prisma/seed.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { MINUTE, movableClock } from "../../support/clock.ts";
import { getAnnouncement, listAnnouncements, memberAnnouncements } from "../../../app/modules/announcements/announcements.server.ts";

const services = servicesForThisFile();

describe("the demo announcements", () => {
  it("two sent to consenting readers only, one scheduled whose start waits in the outbox", async () => {
    const now = new Date();
    await seedDemoData(services.db, now);
    const admin = { actor: await services.db.user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true, role: true } }) };
    const all = await listAnnouncements(services, admin.actor);
    expect(all.map((a) => a.status).sort()).toEqual(["scheduled", "sent", "sent"]);
    for (const a of all.filter((x) => x.status === "sent")) {
      expect(a.counts.sent).toBeGreaterThan(0);
      expect(a.counts.excluded).toBeGreaterThan(0);
      const notConsenting = await services.db.announcementDelivery.count({ where: { announcementId: a.id, status: "sent", member: { consentState: { none: { channel: "newsletter", granted: true } } } } });
      expect(notConsenting).toBe(0);
    }
    const reader = await services.db.announcementDelivery.findFirstOrThrow({ where: { status: "sent" }, select: { memberId: true } });
    expect((await memberAnnouncements(services.db, reader.memberId)).length).toBeGreaterThan(0);

    const scheduled = all.find((a) => a.status === "scheduled")!;
    const clock = movableClock(new Date(scheduled.scheduledAt!.getTime() + 60_000));
    services.clock = clock;
    await services.dispatcher.drainNow();
    // At its time every copy goes, except the mail of members whose contact hours are closed then.
    const started = await getAnnouncement(services, admin.actor, scheduled.id);
    expect(started?.counts.pending).toBe(started?.counts.waitingForHours);
    expect((started?.counts.sent ?? 0) + (started?.counts.pending ?? 0)).toBe(started?.audienceCount);
    // Each held mail goes when its member's window opens.
    for (let round = 0; round < 10; round++) {
      const next = await services.db.announcementDelivery.findFirst({ where: { announcementId: scheduled.id, status: "pending" }, orderBy: { notBefore: "asc" }, select: { notBefore: true } });
      if (!next?.notBefore) break;
      clock.advance(Math.max(0, next.notBefore.getTime() - clock.now().getTime()) + MINUTE);
      await services.dispatcher.drainNow();
    }
    const after = await getAnnouncement(services, admin.actor, scheduled.id);
    expect(after?.status).toBe("sent");
    expect(after?.counts.sent).toBe(after?.audienceCount);
  }, 180_000);
});
