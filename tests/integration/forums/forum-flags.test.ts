import { describe, expect, it } from "vitest";
import { getThread, replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { FLAGS_TO_HIDE, flagPost, resolveFlags, reviewQueue } from "../../../app/modules/forums/flags.server.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

async function person(role: "member" | "moderator" = "member") {
  const u = await createUser(services.db, { passwordHash: "x", role, createdAt: new Date(Date.now() - 90 * 86_400_000) });
  return { id: u.id, role: u.role };
}

describe("flags and the review queue", () => {
  it("three members' flags hide a post until a moderator decides; each flag is the author's touchpoint", async () => {
    const category = await createCategory(services.db);
    const author = await person();
    const spammer = await person();
    const started = await startThread(services, author, { categoryId: category.id, title: "Honest question about sizes", body: "Which size?" });
    if (!started.ok) throw new Error("start failed");
    const spam = await replyToThread(services, spammer, { threadId: started.threadId, body: "BUY CHEAP WATCHES http://spam.example" });
    if (!spam.ok) throw new Error("reply failed");

    expect(await flagPost(services, spammer, { postId: spam.postId, reason: "spam" })).toEqual({ ok: false, error: "ownPost" });
    expect(await flagPost(services, author, { postId: spam.postId, reason: "nonsense" })).toEqual({ ok: false, error: "invalid", fieldErrors: { reason: ["validation.required"] } });
    const reporters = [author, await person(), await person()];
    const results = [];
    for (const r of reporters) results.push(await flagPost(services, r, { postId: spam.postId, reason: "spam", note: "advertising" }));
    expect(results.map((r) => r.ok && r.hidden)).toEqual([false, false, true]);
    expect(FLAGS_TO_HIDE).toBe(3);
    expect(await flagPost(services, author, { postId: spam.postId, reason: "spam" })).toEqual({ ok: false, error: "alreadyFlagged" });
    expect((await getThread(services.db, null, started.threadId))?.posts[1]?.hiddenAt).not.toBeNull();
    expect((await listTimeline(services.db, spammer.id, { kinds: ["forum.flagged"] })).items).toHaveLength(3);

    expect(await reviewQueue(services, author)).toBeNull();
    const moderator = await person("moderator");
    const queue = await reviewQueue(services, moderator);
    expect(queue?.[0]).toMatchObject({ post: { id: spam.postId }, flags: expect.arrayContaining([expect.objectContaining({ reason: "spam", note: "advertising" })]) });

    expect(await resolveFlags(services, author, { postId: spam.postId, decision: "keep" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await resolveFlags(services, moderator, { postId: spam.postId, decision: "hide" })).toEqual({ ok: true });
    expect(await reviewQueue(services, moderator)).toEqual([]);
    expect((await getThread(services.db, null, started.threadId))?.posts[1]?.hiddenAt).not.toBeNull();
    expect(await services.db.auditLog.count({ where: { subjectId: spam.postId, action: { in: ["forum.post_hidden", "forum.flags_upheld"] } } })).toBe(2);
  });

  it("dismissing the flags restores an auto-hidden post", async () => {
    const category = await createCategory(services.db);
    const author = await person();
    const started = await startThread(services, author, { categoryId: category.id, title: "An unpopular but fair opinion", body: "I prefer the old design." });
    if (!started.ok) throw new Error("start failed");
    const opening = (await getThread(services.db, null, started.threadId))!.posts[0]!.id;
    for (let i = 0; i < 3; i++) await flagPost(services, await person(), { postId: opening, reason: "offensive" });
    expect((await getThread(services.db, null, started.threadId))?.posts[0]?.hiddenAt).not.toBeNull();
    expect(await resolveFlags(services, await person("moderator"), { postId: opening, decision: "keep" })).toEqual({ ok: true });
    expect((await getThread(services.db, null, started.threadId))?.posts[0]?.hiddenAt).toBeNull();
  });
});
