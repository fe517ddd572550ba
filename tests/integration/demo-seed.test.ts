/** The demo data behind `npm run demo`: it loads on a fresh database, once, with the shapes the issues ask for. */
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../../prisma/seed.ts";
import { servicesForThisFile } from "../support/services.ts";

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

    const conversations = await services.db.conversation.findMany({ select: { status: true, waitingSince: true, lastSeq: true, _count: { select: { messages: true } } } });
    expect(conversations.some((c) => c.status === "open" && c.waitingSince)).toBe(true);
    expect(conversations.some((c) => c.status === "resolved")).toBe(true);
    for (const c of conversations) expect(c._count.messages).toBe(c.lastSeq);
    expect(await services.db.chatMessage.count({ where: { kind: "note" } })).toBeGreaterThan(0);
  });
});
