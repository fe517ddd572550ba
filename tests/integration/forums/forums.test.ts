import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORUM_LIMITS, getThread, listThreads, replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { exportMemberData } from "../../../app/modules/members/my-data.server.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { createTestServices } from "../../support/services.ts";
import type { BuiltServices } from "../../../server/services.ts";

let services: BuiltServices & { dispose(): Promise<void> };
let now = new Date();
const DAY = 24 * 60 * 60_000;

beforeAll(async () => {
  services = await createTestServices();
  services.clock = { now: () => now };
});
afterAll(async () => {
  await services.dispose();
});

async function member(options: { newcomer?: boolean; role?: "member" | "staff" } = {}) {
  const u = await createUser(services.db, { passwordHash: "x", role: options.role ?? "member", createdAt: new Date(now.getTime() - (options.newcomer ? 60_000 : 30 * DAY)) });
  return { id: u.id, role: u.role };
}
const later = (ms: number) => (now = new Date(now.getTime() + ms));

describe("community threads and replies", () => {
  it("a member starts a thread and replies are numbered, rendered safely and recorded as touchpoints", async () => {
    const category = await createCategory(services.db);
    const author = await member();
    const replier = await member();
    const started = await startThread(services, author, { categoryId: category.id, title: "Giao hàng buổi sáng được không?", body: "Xin chào <b>mọi người</b> **cảm ơn**" });
    if (!started.ok) throw new Error(started.error);
    later(10_000);
    const reply = await replyToThread(services, replier, { threadId: started.threadId, body: "Được bạn nhé, [xem](javascript:alert(1))" });
    expect(reply).toMatchObject({ ok: true, position: 2 });

    const thread = await getThread(services.db, null, started.threadId);
    expect(thread?.replyCount).toBe(1);
    expect(thread?.posts.map((p) => p.position)).toEqual([1, 2]);
    expect(thread?.posts[0]!.bodyHtml).toContain("&lt;b&gt;mọi người&lt;/b&gt; <strong>cảm ơn</strong>");
    expect(thread?.posts[1]!.bodyHtml).not.toMatch(/href="javascript:/i);
    expect((await listTimeline(services.db, author.id)).items.map((i) => i.kind)).toContain("forum.thread_started");
    expect((await listTimeline(services.db, replier.id)).items.map((i) => i.kind)).toContain("forum.replied");
    const latest = await listThreads(services.db, null, { categoryId: category.id });
    expect(latest.items[0]!.id).toBe(started.threadId);
    // A member's posts are part of "download my data".
    const exported = await exportMemberData(services, author, { memberId: author.id }, { ip: "203.0.113.1" });
    expect(exported.ok && exported.data.posts.map((p) => p.threadTitle)).toEqual(["Giao hàng buổi sáng được không?"]);
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const category = await createCategory(services.db);
    const author = await member();
    const result = await startThread(services, author, { categoryId: category.id, title: "short", body: "" });
    expect(result).toMatchObject({ ok: false, error: "invalid", fieldErrors: { title: ["forum.titleTooShort"], body: ["forum.bodyTooShort"] } });
    expect(await services.db.forumThread.count({ where: { categoryId: category.id } })).toBe(0);
  });

  it("keeps Announcements for staff", async () => {
    const announcements = await createCategory(services.db, { postingRole: "staff" });
    expect(await startThread(services, await member(), { categoryId: announcements.id, title: "Members cannot announce", body: "Hello there" })).toEqual({
      ok: false,
      error: "notAllowed",
    });
    expect((await startThread(services, await member({ role: "staff" }), { categoryId: announcements.id, title: "Staff can announce", body: "Hello there" })).ok).toBe(true);
  });

  it("rate-limits posting, tighter for newcomers, and refuses the same text twice", async () => {
    const category = await createCategory(services.db);
    const regular = await member();
    const started = await startThread(services, regular, { categoryId: category.id, title: "A thread to reply in", body: "Opening post" });
    if (!started.ok) throw new Error("start failed");
    later(FORUM_LIMITS.post.regular);
    expect((await replyToThread(services, regular, { threadId: started.threadId, body: "First reply" })).ok).toBe(true);
    expect(await replyToThread(services, regular, { threadId: started.threadId, body: "Second reply, too soon" })).toMatchObject({ ok: false, error: "rateLimited" });
    later(FORUM_LIMITS.post.regular + 1);
    expect(await replyToThread(services, regular, { threadId: started.threadId, body: "First reply" })).toEqual({ ok: false, error: "duplicate" });
    expect((await replyToThread(services, regular, { threadId: started.threadId, body: "Second reply" })).ok).toBe(true);

    const newcomer = await member({ newcomer: true });
    expect((await replyToThread(services, newcomer, { threadId: started.threadId, body: "Hello from a newcomer" })).ok).toBe(true);
    later(FORUM_LIMITS.post.regular + 1);
    expect(await replyToThread(services, newcomer, { threadId: started.threadId, body: "Another newcomer post" })).toMatchObject({ ok: false, error: "rateLimited" });
    later(FORUM_LIMITS.post.newMember);
    expect((await replyToThread(services, newcomer, { threadId: started.threadId, body: "Another newcomer post" })).ok).toBe(true);
  });

  it("members cannot reply in a locked thread; staff still can", async () => {
    const category = await createCategory(services.db);
    const author = await member();
    const started = await startThread(services, author, { categoryId: category.id, title: "This will be locked", body: "Opening" });
    if (!started.ok) throw new Error("start failed");
    await services.db.forumThread.update({ where: { id: started.threadId }, data: { lockedAt: now } });
    later(60_000);
    expect(await replyToThread(services, await member(), { threadId: started.threadId, body: "Can I?" })).toEqual({ ok: false, error: "locked" });
    expect((await replyToThread(services, await member({ role: "staff" }), { threadId: started.threadId, body: "Staff note" })).ok).toBe(true);
  });
});
