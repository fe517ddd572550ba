/** The demo data behind `npm run demo`: it loads on a fresh database, once, with the shapes the issues ask for. */
import { describe, expect, it } from "vitest";
import { indexSeededDemo, seedDemoData } from "../../../prisma/seed.ts";
import { TOUCHPOINT_RECORDED } from "../../../app/modules/console/engagement.server.ts";
import { SEARCH_SYNC } from "../../../app/modules/search/indexing.server.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { FORMER_MEMBER_MARKER } from "../../../app/utils/former-member.ts";
import { listSegments } from "../../../app/modules/segments/segments.server.ts";

const services = servicesForThisFile();

describe("the demo data", () => {
  it("loads once, with forums, readable handles and chats that are waiting, resolved and annotated", async () => {
    expect(await seedDemoData(services.db)).toEqual({ created: true });
    expect(await seedDemoData(services.db)).toEqual({ created: false });

    expect(await services.db.forumCategory.count()).toBeGreaterThanOrEqual(5);
    expect(await services.db.forumThread.count({ where: { solvedPostId: { not: null } } })).toBeGreaterThan(0);
    expect(await services.db.forumFlag.count({ where: { resolvedAt: null } })).toBeGreaterThan(0);
    // The staff lounge: staff-only reading, with threads staff wrote.
    const lounge = await services.db.forumCategory.findUniqueOrThrow({ where: { slug: "staff-lounge" }, select: { readRole: true, threads: { select: { author: { select: { role: true } } } } } });
    expect(lounge.readRole).toBe("staff");
    expect(lounge.threads.length).toBeGreaterThan(0);
    expect(lounge.threads.every((t) => t.author.role === "staff" || t.author.role === "admin")).toBe(true);
    expect((await services.db.user.findUniqueOrThrow({ where: { email: "member1@rapport.local" } })).username).toBe("phamminhchau");
    // A member who deleted their account: a reply quotes and mentions them as "Former member" (ADR 013).
    const former = await services.db.forumThread.findFirstOrThrow({ where: { author: { deletedAt: { not: null } } }, select: { posts: { where: { position: 2 }, select: { bodyHtml: true } } } });
    expect(former.posts[0]!.bodyHtml.split(FORMER_MEMBER_MARKER)).toHaveLength(3);

    const conversations = await services.db.conversation.findMany({ select: { status: true, waitingSince: true, lastSeq: true, _count: { select: { messages: true } } } });
    expect(conversations.some((c) => c.status === "open" && c.waitingSince)).toBe(true);
    expect(conversations.some((c) => c.status === "resolved")).toBe(true);
    for (const c of conversations) expect(c._count.messages).toBe(c.lastSeq);
    expect(await services.db.chatMessage.count({ where: { kind: "note" } })).toBeGreaterThan(0);

    // Some members chose when we may email them (issue 18): member1 on weekdays, 08:00–20:00.
    expect(await services.db.memberContactHours.count()).toBeGreaterThanOrEqual(4);
    expect(await services.db.memberContactHours.findFirst({ where: { member: { email: "member1@rapport.local" } }, select: { weekdays: true, fromMinute: true, toMinute: true, source: true } })).toEqual({
      weekdays: [1, 2, 3, 4, 5],
      fromMinute: 480,
      toMinute: 1200,
      source: "member",
    });

    // Three saved segments (issue 18), each valid and matching someone in the admin's view.
    const admin = await services.db.user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true, role: true } });
    const segments = await listSegments(services, admin);
    expect(segments.map((s) => s.name)).toContain("Loyal members who own the Phin coffee filter");
    // Three from the segments' demo, one the demo announcements went to.
    expect(segments).toHaveLength(4);
    for (const s of segments) expect(s.count, s.name).toBeGreaterThan(0);
  });

  it("leaves no backlog for a fresh demo: scores computed, search built in one pass, only real work still queued", async () => {
    // The first test seeded this file's database.
    const pending = (type: string) => services.db.outboxEvent.count({ where: { type, status: "pending" } });
    expect(await pending(TOUCHPOINT_RECORDED)).toBe(0);
    const member = await services.db.user.findUniqueOrThrow({ where: { email: "member1@rapport.local" }, select: { engagementScore: true, engagementAt: true } });
    expect(member.engagementAt).not.toBeNull();
    expect(member.engagementScore).toBeGreaterThan(0);

    expect(await pending(SEARCH_SYNC)).toBeGreaterThan(0); // the seed's writes queued them
    await indexSeededDemo(services);
    expect(await pending(SEARCH_SYNC)).toBe(0);
    const found = await services.search.search({ q: "bao hanh khach hang", offset: 0, limit: 5 }, { role: "member", managerIds: [] });
    expect(found.hits.map((h) => h.title)).toContain("Bảo hành bình giữ nhiệt: khách hàng có cần giữ hóa đơn không?");
  });
});
