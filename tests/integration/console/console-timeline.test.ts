/**
 * The timeline is complete: a scripted member who did one of everything
 * (profile, preferences, consent, forums, products, reviews, ideas, chat)
 * and whose staff did one of everything (note, interaction, stage, task,
 * reassignment, review response, idea status) finds each of it, once, in
 * the order it happened, on the staff console's member page; the member's
 * own "My activity" shows theirs but none of the staff-only entries.
 */
import { describe, expect, it } from "vitest";
import { signUp } from "../../../app/modules/auth/signup.server.ts";
import { updateProfile } from "../../../app/modules/members/profile.server.ts";
import { changeAccountManager } from "../../../app/modules/members/account-manager.server.ts";
import { setConsents } from "../../../app/modules/members/consent.server.ts";
import { setPreference } from "../../../app/modules/members/preferences.server.ts";
import { ProfileSchema } from "../../../app/modules/members/profile-schema.ts";
import { startThread, replyToThread } from "../../../app/modules/forums/forums.server.ts";
import { markAnswerAccepted, toggleReaction } from "../../../app/modules/forums/post-actions.server.ts";
import { recordOwners } from "../../../app/modules/products/ownership.server.ts";
import { respondToReview, toggleHelpful, writeReview } from "../../../app/modules/products/review-commands.server.ts";
import { addComment, submitIdea, toggleVote } from "../../../app/modules/ideas/idea-commands.server.ts";
import { setIdeaStatus } from "../../../app/modules/ideas/status.server.ts";
import { createTask, completeTask } from "../../../app/modules/console/task-commands.server.ts";
import { openMemberPage, timelinePage } from "../../../app/modules/console/member-page.server.ts";
import { addNote, logInteraction, setStage } from "../../../app/modules/console/record-commands.server.ts";
import { STAFF_ONLY_TOUCHPOINT_KINDS, listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createCategory } from "../../factories/forums.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { serverForThisFile } from "../../support/server.ts";
import { call, chatPeople, collect, open, send } from "../../support/chat.ts";
import type { MemberTouchpointEvent } from "../../../app/realtime/events.ts";

const file = serverForThisFile();
const { db, person, tab } = chatPeople(file);
const services = () => file.t.server.services;
type Role = "member" | "staff" | "admin" | "moderator";
const actor = (u: { id: string; role: Role }) => ({ id: u.id, role: u.role });

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`step refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe("a member's timeline in the console", () => {
  it("holds every touchpoint of a member who did one of everything, each once, newest first, linked to its subject", async () => {
    const s = services();
    const admin = await person("admin");
    const first = await person("staff");
    const manager = await person("staff");
    const neighbour = await person("member");

    const signed = ok(await signUp(s, { email: `one-of-everything-${Date.now()}@example.test`, displayName: "Trịnh Mỹ Linh", password: "một câu mật khẩu dài", locale: "vi" }, { ip: "10.9.9.9", userAgent: "vitest" }));
    const memberId = (await db().user.findFirstOrThrow({ where: { displayName: "Trịnh Mỹ Linh" }, orderBy: { createdAt: "desc" }, select: { id: true } })).id;
    void signed;
    const me = { id: memberId, role: "member" as const };
    await changeAccountManager(s, actor(admin), { memberId: memberId, managerId: first.id });
    await changeAccountManager(s, actor(admin), { memberId: memberId, managerId: manager.id });

    ok(await updateProfile(s, me, { ...ProfileSchema.parse({ displayName: "Trịnh Mỹ Linh", timezone: "Asia/Ho_Chi_Minh", locale: "vi", contactChannel: "phone", company: "Linh Tea" }), memberId: memberId }));
    ok(await setPreference(s, me, { key: "delivery_window", value: "morning", memberId: memberId }));
    await setConsents(s, me, { newsletter: true, product_updates: false, surveys: true, memberId: memberId });

    const category = await createCategory(db());
    const thread = ok(await startThread(s, me, { categoryId: category.id, title: "Trà ô long pha bao nhiêu độ?", body: "Mọi người pha ở nhiệt độ nào?" }));
    const answer = ok(await replyToThread(s, actor(neighbour), { threadId: thread.threadId, body: "Khoảng 90 độ là vừa." }));
    ok(await replyToThread(s, me, { threadId: thread.threadId, body: "Cảm ơn bạn!" }));
    ok(await toggleReaction(s, me, { postId: answer.postId, kind: "thanks" }));
    ok(await markAnswerAccepted(s, me, { threadId: thread.threadId, postId: answer.postId }));

    const product = await createProduct(db(), { nameVi: "Trà ô long", nameEn: "Oolong tea" });
    ok(await recordOwners(s, actor(manager), { productId: product.id, members: (await db().user.findUniqueOrThrow({ where: { id: memberId }, select: { email: true } })).email }));
    const review = ok(await writeReview(s, me, { productId: product.id, rating: 5, title: "Thơm và dịu", body: "Pha ba lần nước vẫn ngon." }));
    ok(await respondToReview(s, actor(manager), { reviewId: review.reviewId, body: "Cảm ơn chị Linh!" }));
    const neighbourReview = ok(await writeReview(s, actor(neighbour), { productId: product.id, rating: 4, title: "Ngon", body: "Giá hơi cao nhưng đáng." }));
    ok(await toggleHelpful(s, me, { reviewId: neighbourReview.reviewId }));

    const idea = ok(await submitIdea(s, me, { title: "Hộp quà trà Tết bằng giấy tái chế", body: "Không dùng nhựa." }));
    const neighbourIdea = ok(await submitIdea(s, actor(neighbour), { title: "Trà túi lọc không ghim bấm", body: "An toàn hơn." }));
    ok(await toggleVote(s, me, { ideaId: neighbourIdea.ideaId }));
    ok(await addComment(s, me, { ideaId: neighbourIdea.ideaId, body: "Ủng hộ ý này!" }));
    ok(await setIdeaStatus(s, actor(admin), { ideaId: idea.ideaId, status: "planned", comment: "Sẽ có cho Tết năm nay." }));

    const memberTab = await tab(memberId);
    const { conversation } = await open(memberTab);
    ok(await send(memberTab, conversation.id, "Chị ơi, em muốn đặt hộp quà."));

    ok(await addNote(s, actor(manager), { memberId: memberId, body: "Khách quen, thích quà Tết." }));
    ok(await logInteraction(s, actor(manager), { memberId: memberId, channel: "call", summary: "Gọi xác nhận đơn hộp quà.", occurredAt: new Date().toISOString() }));
    ok(await setStage(s, actor(manager), { memberId: memberId, stage: "develop", reason: "Mua đều và tham gia cộng đồng." }));
    const task = await createTask(s, actor(manager), { memberId, title: "Gửi mẫu hộp quà", dueOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), assigneeId: manager.id });
    if (!task.ok) throw new Error(`task refused: ${JSON.stringify(task)}`);
    await completeTask(s, actor(manager), { taskId: task.task.id });

    // Everything the console shows, page by page.
    const items: { kind: string; occurredAt: Date | string; link: string | null }[] = [];
    let before: string | null = null;
    do {
      const page = await timelinePage(s, actor(manager), memberId, { before });
      items.push(...page.items);
      before = page.nextCursor;
    } while (before);
    const kinds = items.map((i) => i.kind);
    const expected = [
      "account.signed_up", "account_manager.changed", "profile.updated", "preference.set", "consent.changed",
      "forum.thread_started", "forum.replied", "forum.reacted",
      "product.owner_recorded", "review.written", "review.response_received", "review.marked_helpful",
      "idea.submitted", "idea.voted", "idea.commented", "idea.status_change_seen",
      "chat.session", "staff.note_added", "interaction.logged", "stage.changed", "task.created", "task.completed",
    ];
    for (const kind of expected) expect(kinds, `timeline has ${kind}`).toContain(kind);
    // An accepted answer is the answerer's touchpoint.
    expect((await listTimeline(db(), neighbour.id, { kinds: ["forum.answer_accepted"] })).items).toHaveLength(1);
    // One chat touchpoint for the day, not one per message.
    expect(kinds.filter((k) => k === "chat.session")).toHaveLength(1);
    // Every assignment (sign-up's own, then two by the admin) is one entry.
    expect(kinds.filter((k) => k === "account_manager.changed")).toHaveLength(await db().accountManagerAssignment.count({ where: { memberId } }));
    // Newest first, and nothing listed twice across pages.
    const times = items.map((i) => new Date(i.occurredAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(items.map((i) => JSON.stringify(i))).size).toBe(items.length);
    // Entries link to what they are about.
    const link = (kind: string) => items.find((i) => i.kind === kind)?.link;
    expect(link("forum.thread_started")).toBe(`/community/t/${thread.threadId}`);
    expect(link("idea.submitted")).toBe(`/ideas/${idea.ideaId}`);
    expect(link("review.written")).toMatch(/^\/products\/.+#review-/);
    expect(link("chat.session")).toBe(`/staff/inbox/${conversation.id}`);

    // The page's first screen is the same history; the member's own view leaves out what is for staff.
    const page = await openMemberPage(s, actor(manager), memberId, { ip: "127.0.0.1" });
    expect(page.timeline.items[0]!.kind).toBe(items[0]!.kind);
    const own = await listTimeline(db(), memberId, { limit: 100, excludeKinds: STAFF_ONLY_TOUCHPOINT_KINDS });
    expect(own.items.map((i) => i.kind)).toEqual(expect.arrayContaining(["forum.thread_started", "review.written", "idea.submitted", "chat.session"]));
    for (const hidden of STAFF_ONLY_TOUCHPOINT_KINDS) expect(own.items.map((i) => i.kind)).not.toContain(hidden);
  });

  it("shows a staff note as the record shows notes, rendered from markdown and never as raw text or raw HTML, on the page, in the inbox panel and live", async () => {
    const s = services();
    const manager = await person("staff");
    const member = await person("member", manager.id);
    const staffTab = await tab(manager.id);
    expect(await call(staffTab, "member:watch", { memberId: member.id })).toMatchObject({ ok: true });
    const live = collect<MemberTouchpointEvent>(staffTab, "member:touchpoint");

    ok(await addNote(s, actor(manager), { memberId: member.id, body: "Prefers **calls after 3 pm** <img src=x onerror=alert(1)>; ask about the `spring` catalogue." }));
    const rendered = '<strong>calls after 3 pm</strong> &lt;img src=x onerror=alert(1)&gt;; ask about the <code>spring</code> catalogue.';
    const note = (items: { kind: string; noteHtml?: string | null }[]) => items.find((i) => i.kind === "staff.note_added")?.noteHtml;

    // The record's timeline, and the inbox side panel's (the same query).
    expect(note((await timelinePage(s, actor(manager), member.id, {})).items)).toContain(rendered);
    expect(note((await listTimeline(db(), member.id)).items)).toContain(rendered);
    expect(note((await listTimeline(db(), member.id)).items)).not.toContain("**");
    // The live entry on an open record renders the same.
    await expect.poll(() => note(live.flatMap((e) => (e.item ? [e.item] : []))), { timeout: 10_000 }).toContain(rendered);

    // A long note keeps its start, and says it goes on.
    ok(await addNote(s, actor(manager), { memberId: member.id, body: `*Long* ${"x".repeat(300)}` }));
    expect(note((await listTimeline(db(), member.id)).items)).toMatch(/^<p><em>Long<\/em> x+…<\/p>/);
  });
});
