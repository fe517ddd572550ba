import { describe, expect, it } from "vitest";
import { getThread, replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import {
  deletePost,
  editPost,
  markAnswerAccepted,
  moderateThread,
  postRevisions,
  renameOrMoveThread,
  reactionSummary,
  setPostHidden,
  toggleReaction,
} from "../../../app/modules/forums/post-actions.server.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

async function person(role: "member" | "moderator" | "staff" = "member") {
  const u = await createUser(services.db, { passwordHash: "x", role, createdAt: new Date(Date.now() - 90 * 86_400_000) });
  return { id: u.id, role: u.role };
}

async function threadWithReply() {
  const category = await createCategory(services.db);
  const author = await person();
  const replier = await person();
  const started = await startThread(services, author, { categoryId: category.id, title: "Which size fits best?", body: `Question ${Math.random()}` });
  if (!started.ok) throw new Error("start failed");
  const reply = await replyToThread(services, replier, { threadId: started.threadId, body: `Take one size up ${Math.random()}` });
  if (!reply.ok) throw new Error("reply failed");
  return { author, replier, threadId: started.threadId, replyId: reply.postId };
}

describe("after a post is written", () => {
  it("a member reacts once per kind, can take it back, and cannot react to their own post", async () => {
    const { author, replier, replyId } = await threadWithReply();
    expect(await toggleReaction(services, author, { postId: replyId, kind: "helpful" })).toEqual({ ok: true, reacted: true });
    expect(await toggleReaction(services, author, { postId: replyId, kind: "thanks" })).toEqual({ ok: true, reacted: true });
    let summary = await reactionSummary(services, [replyId], author.id);
    expect(summary[replyId]).toMatchObject({ helpful: { count: 1, mine: true }, thanks: { count: 1, mine: true }, like: { count: 0 } });
    expect(await toggleReaction(services, author, { postId: replyId, kind: "helpful" })).toEqual({ ok: true, reacted: false });
    summary = await reactionSummary(services, [replyId], author.id);
    expect(summary[replyId]!.helpful).toEqual({ count: 0, mine: false });
    expect(await toggleReaction(services, replier, { postId: replyId, kind: "like" })).toEqual({ ok: false, error: "ownPost" });
    expect(await toggleReaction(services, author, { postId: replyId, kind: "love" })).toEqual({ ok: false, error: "invalid", fieldErrors: { kind: ["validation.required"] } });
  });

  it("the thread's author accepts an answer; the answerer's history shows it; others may not", async () => {
    const { author, replier, threadId, replyId } = await threadWithReply();
    expect(await markAnswerAccepted(services, await person(), { threadId, postId: replyId })).toEqual({ ok: false, error: "notAllowed" });
    expect(await markAnswerAccepted(services, author, { threadId, postId: replyId })).toEqual({ ok: true });
    expect((await getThread(services.db, null, threadId))?.solvedPostId).toBe(replyId);
    expect((await listTimeline(services.db, replier.id)).items.map((i) => i.kind)).toContain("forum.answer_accepted");
    const staff = await person("staff");
    expect(await markAnswerAccepted(services, staff, { threadId, postId: null })).toEqual({ ok: true });
  });

  it("taking an accepted answer back is the answerer's history and audited, like any change to their record", async () => {
    const { author, replier, threadId, replyId } = await threadWithReply();
    expect(await markAnswerAccepted(services, author, { threadId, postId: replyId })).toEqual({ ok: true });
    const staff = await person("staff");
    expect(await markAnswerAccepted(services, staff, { threadId, postId: null })).toEqual({ ok: true });
    expect((await getThread(services.db, null, threadId))?.solvedPostId).toBeNull();
    expect((await listTimeline(services.db, replier.id)).items.map((i) => i.kind)).toContain("forum.answer_unaccepted");
    expect(await services.db.auditLog.count({ where: { actorId: staff.id, action: "forum.answer_unaccepted", targetMemberId: replier.id, subjectId: replyId } })).toBe(1);
    // Nothing accepted, nothing to take back: no second entry.
    expect(await markAnswerAccepted(services, staff, { threadId, postId: null })).toEqual({ ok: true });
    expect(await services.db.auditLog.count({ where: { action: "forum.answer_unaccepted", subjectId: replyId } })).toBe(1);
  });

  it("an author edits a post, the old text is kept for moderators only", async () => {
    const { replier, replyId } = await threadWithReply();
    const before = (await services.db.forumPost.findUniqueOrThrow({ where: { id: replyId } })).bodyMarkdown;
    expect(await editPost(services, await person(), { postId: replyId, body: "hijack" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await editPost(services, replier, { postId: replyId, body: "Take **two** sizes up" })).toEqual({ ok: true });
    const post = await services.db.forumPost.findUniqueOrThrow({ where: { id: replyId } });
    expect(post.bodyHtml).toContain("<strong>two</strong>");
    expect(post.editedAt).not.toBeNull();
    expect(await postRevisions(services, replier, replyId)).toBeNull();
    expect((await postRevisions(services, await person("moderator"), replyId))?.map((r) => r.bodyMarkdown)).toEqual([before]);
  });

  it("deleting leaves a placeholder; deleting the opening post removes the thread", async () => {
    const { author, replier, threadId, replyId } = await threadWithReply();
    expect(await deletePost(services, replier, { postId: replyId })).toEqual({ ok: true, threadDeleted: false });
    const thread = await getThread(services.db, null, threadId);
    expect(thread?.posts.find((p) => p.id === replyId)).toMatchObject({ bodyHtml: "" });
    expect(thread?.posts.find((p) => p.id === replyId)?.deletedAt).not.toBeNull();
    const opening = thread!.posts[0]!.id;
    expect(await deletePost(services, author, { postId: opening })).toEqual({ ok: true, threadDeleted: true });
    expect(await getThread(services.db, null, threadId)).toBeNull();
  });

  it("moderators pin, lock and hide, and each step is audited; members cannot", async () => {
    const { threadId, replyId, replier } = await threadWithReply();
    const moderator = await person("moderator");
    expect(await moderateThread(services, await person(), { threadId, action: "lock" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await moderateThread(services, moderator, { threadId, action: "lock" })).toEqual({ ok: true });
    expect(await moderateThread(services, moderator, { threadId, action: "pin" })).toEqual({ ok: true });
    expect(await setPostHidden(services, await person(), { postId: replyId, hidden: true })).toEqual({ ok: false, error: "notAllowed" });
    expect(await setPostHidden(services, moderator, { postId: replyId, hidden: true })).toEqual({ ok: true });
    const thread = await getThread(services.db, null, threadId);
    expect(thread?.lockedAt).not.toBeNull();
    expect(thread?.pinnedAt).not.toBeNull();
    expect(thread?.posts.find((p) => p.id === replyId)?.bodyHtml).toBe("");
    expect(await setPostHidden(services, moderator, { postId: replyId, hidden: false })).toEqual({ ok: true });
    const actions = (await services.db.auditLog.findMany({ where: { actorId: moderator.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["forum.thread_lock", "forum.thread_pin", "forum.post_hidden", "forum.post_restored"]);
    expect(await services.db.auditLog.count({ where: { targetMemberId: replier.id, action: "forum.post_hidden" } })).toBe(1);
  });

  it("moderators rename and move a thread; both are audited", async () => {
    const { threadId } = await threadWithReply();
    const target = await createCategory(services.db);
    const moderator = await person("moderator");
    expect(await renameOrMoveThread(services, await person(), { threadId, title: "Sneaky new title" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await renameOrMoveThread(services, moderator, { threadId, title: "short" })).toEqual({ ok: false, error: "invalid", fieldErrors: { title: ["forum.titleTooShort"] } });
    expect(await renameOrMoveThread(services, moderator, { threadId, title: "Sizes: which one fits best?", categoryId: target.id })).toEqual({ ok: true });
    const thread = await getThread(services.db, null, threadId);
    expect(thread?.title).toBe("Sizes: which one fits best?");
    expect(thread?.category.id).toBe(target.id);
    expect(await services.db.auditLog.count({ where: { subjectId: threadId, action: "forum.thread_renamed_or_moved" } })).toBe(1);
  });
});
