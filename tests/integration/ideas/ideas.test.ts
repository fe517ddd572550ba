import { describe, expect, it } from "vitest";
import { getIdea, listIdeas, roadmap, similarIdeas, topIdeasFor } from "../../../app/modules/ideas/ideas.server.ts";
import { addComment, deleteComment, editComment, editIdea, removeIdea, setFollowing, submitIdea, toggleVote } from "../../../app/modules/ideas/idea-commands.server.ts";
import { mergeIdeas, setIdeaStatus } from "../../../app/modules/ideas/status.server.ts";
import { setNotificationChannel } from "../../../app/modules/notifications/notifications.server.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createMember, createStaff } from "../../factories/actors.ts";
import { createModerator, createProduct } from "../../factories/co-creation.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 1_000 });
const DAY = 24 * 60 * 60_000;

async function idea(author: { actor: { id: string; role: "member" | "moderator" | "staff" | "admin" } }, title: string, extra: Record<string, unknown> = {}) {
  const result = await submitIdea(services, author.actor, { title, body: "It would help us every single week.", ...extra });
  if (!result.ok) throw new Error(`submit failed: ${result.error}`);
  return result.ideaId;
}
const votesOf = async (ideaId: string) => (await services.db.idea.findUniqueOrThrow({ where: { id: ideaId }, select: { voteCount: true } })).voteCount;

describe("submitting ideas", () => {
  it("checks the input, counts the author's own vote, and refuses the same idea twice in a row", async () => {
    const member = await createMember(services.db);
    expect(await submitIdea(services, member.actor, { title: "Short", body: "" })).toMatchObject({
      ok: false, error: "invalid", fieldErrors: { title: ["idea.titleTooShort"], body: ["idea.bodyTooShort"] },
    });
    expect(await submitIdea(services, member.actor, { title: "A valid idea title", body: "A valid body too.", productId: "nope" })).toMatchObject({ fieldErrors: { productId: ["idea.productUnknown"] } });
    const id = await idea(member, "Xuất hóa đơn điện tử theo tháng");
    expect(await votesOf(id)).toBe(1);
    expect(await submitIdea(services, member.actor, { title: "Xuất hóa đơn điện tử theo tháng", body: "Again, by accident." })).toEqual({ ok: false, error: "duplicate" });
    expect((await listTimeline(services.db, member.id, { kinds: ["idea.submitted"] })).items).toHaveLength(1);
  });

  it("suggests similar ideas while the title is typed, whatever the accents and case", async () => {
    const member = await createMember(services.db);
    const dark = await idea(member, "Chế độ tối cho ứng dụng di động");
    await idea(member, "Export my order history as CSV");
    const found = await similarIdeas(services.db, "che do TOI");
    expect(found[0]).toMatchObject({ id: dark, title: "Chế độ tối cho ứng dụng di động" });
    expect((await similarIdeas(services.db, "order history export")).map((i) => i.title)).toContain("Export my order history as CSV");
    expect(await similarIdeas(services.db, "zzz qqq")).toEqual([]);
  });
});

describe("votes", () => {
  it("one per member, which they can take back; closed ideas take no new votes", async () => {
    const author = await createMember(services.db);
    const voter = await createMember(services.db);
    const id = await idea(author, "Giao hàng vào cuối tuần");
    expect(await toggleVote(services, voter.actor, { ideaId: id })).toEqual({ ok: true, voted: true, votes: 2 });
    await Promise.all([toggleVote(services, voter.actor, { ideaId: id }), toggleVote(services, voter.actor, { ideaId: id })]);
    expect(await services.db.ideaVote.count({ where: { ideaId: id, userId: voter.id } })).toBeLessThanOrEqual(1);
    expect(await votesOf(id)).toBe(await services.db.ideaVote.count({ where: { ideaId: id } }));
    const staff = await createStaff(services.db);
    await setIdeaStatus(services, staff.actor, { ideaId: id, status: "declined", comment: "Not this year." });
    const late = await createMember(services.db);
    expect(await toggleVote(services, late.actor, { ideaId: id })).toEqual({ ok: false, error: "closed" });
    expect((await listTimeline(services.db, voter.id, { kinds: ["idea.voted", "idea.vote_withdrawn"] })).items.length).toBeGreaterThanOrEqual(1);
  });
});

describe("merging duplicates", () => {
  it("moves the duplicate's votes to the survivor without counting anyone twice, and keeps the link", async () => {
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createMember(services.db)));
    const staff = await createStaff(services.db);
    const survivor = await idea(a!, "Đăng nhập bằng Zalo");
    const duplicate = await idea(c!, "Cho phép đăng nhập qua Zalo");
    await toggleVote(services, b!.actor, { ideaId: survivor });
    await toggleVote(services, d!.actor, { ideaId: survivor });
    await toggleVote(services, b!.actor, { ideaId: duplicate });
    await toggleVote(services, a!.actor, { ideaId: duplicate });
    // survivor: a (author), b, d — duplicate: c (author), b, a. Distinct people: a, b, c, d.
    expect(await mergeIdeas(services, a!.actor, { duplicateId: duplicate, survivorId: survivor })).toEqual({ ok: false, error: "notAllowed" });
    expect(await mergeIdeas(services, staff.actor, { duplicateId: duplicate, survivorId: duplicate })).toMatchObject({ error: "invalid" });
    expect(await mergeIdeas(services, staff.actor, { duplicateId: duplicate, survivorId: survivor, comment: "Same request, let's keep one." })).toEqual({ ok: true, votes: 4 });
    expect(await votesOf(survivor)).toBe(4);
    expect(await votesOf(duplicate)).toBe(0);
    expect(await services.db.ideaVote.count({ where: { ideaId: survivor } })).toBe(4);

    const merged = await getIdea(services.db, duplicate, null);
    expect(merged).toMatchObject({ status: "duplicate", mergedInto: { id: survivor } });
    expect(merged?.statusChanges.at(-1)).toMatchObject({ fromStatus: "open", toStatus: "duplicate", changedBy: staff.displayName });
    expect((await getIdea(services.db, survivor, null))?.duplicates).toEqual([{ id: duplicate, title: "Cho phép đăng nhập qua Zalo" }]);
    // The duplicate's author follows the survivor now, and hears about it.
    expect((await getIdea(services.db, survivor, c!.id))?.following).toBe(true);
    expect(await mergeIdeas(services, staff.actor, { duplicateId: duplicate, survivorId: survivor })).toEqual({ ok: false, error: "closed" });
    expect(await toggleVote(services, d!.actor, { ideaId: duplicate })).toEqual({ ok: false, error: "closed" });
    // Merged duplicates leave the lists: their votes live on the survivor.
    expect((await listIdeas(services.db, new Date(), { status: "all" })).items.map((i) => i.id)).not.toContain(duplicate);
  });
});

describe("status changes", () => {
  it("notify every voter, commenter and the author, in the app and by email as each chose, with a touchpoint each; history is kept", async () => {
    const author = await createMember(services.db, { email: "idea-author@example.test" });
    const voters = await Promise.all([1, 2, 3].map((n) => createMember(services.db, { email: `idea-voter-${n}@example.test` })));
    const commenter = await createMember(services.db);
    const quitter = await createMember(services.db);
    const staff = await createStaff(services.db);
    const id = await idea(author, "Thông báo khi đơn hàng được giao");
    for (const v of [...voters, quitter]) await toggleVote(services, v.actor, { ideaId: id });
    await addComment(services, commenter.actor, { ideaId: id, body: "Yes please, by SMS too." });
    await setFollowing(services, quitter.actor, { ideaId: id, following: false });
    await setNotificationChannel(services, { id: voters[1]!.id, role: "member" as const }, { kind: "idea.status_changed", channel: "in_app" });
    await setNotificationChannel(services, { id: voters[2]!.id, role: "member" as const }, { kind: "idea.status_changed", channel: "off" });

    expect(await setIdeaStatus(services, voters[0]!.actor, { ideaId: id, status: "planned" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await setIdeaStatus(services, staff.actor, { ideaId: id, status: "duplicate" })).toMatchObject({ error: "invalid" });
    expect(await setIdeaStatus(services, staff.actor, { ideaId: id, status: "planned", comment: "Coming in **June**." })).toEqual({ ok: true, notified: 5 });
    await services.dispatcher.drainNow();
    await services.dispatcher.drainNow();

    const bell = async (userId: string) => services.db.notification.findMany({ where: { userId, kind: "idea.status_changed" }, select: { data: true, link: true } });
    for (const person of [author, voters[0]!, voters[1]!, commenter]) {
      expect(await bell(person.id), person.displayName).toEqual([{ data: { title: "Thông báo khi đơn hàng được giao", status: "planned" }, link: `/ideas/${id}` }]);
    }
    expect(await bell(voters[2]!.id)).toEqual([]);
    expect(await bell(quitter.id)).toEqual([]);
    expect(await bell(staff.id)).toEqual([]);
    expect(renderNotification("en", "idea.status_changed", { title: "X", status: "planned" })).toBe("The idea “X” moved to Planned");
    expect(renderNotification("vi", "idea.status_changed", { title: "X", status: "planned" })).toBe("Ý tưởng “X” đã chuyển sang Đã lên kế hoạch");
    const mails = await services.db.mailMessage.findMany({ where: { to: { in: [author.email, voters[0]!.email, voters[1]!.email] } }, select: { to: true, subject: true, text: true } });
    expect(mails.map((m) => m.to).sort()).toEqual([author.email, voters[0]!.email].sort());
    // The staff's comment is the news: the email says it, as plain text, below the one-line summary (which stays the subject).
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toMatch(/^(The idea|Ý tưởng) “Thông báo khi đơn hàng được giao” /);
      expect(mail.text).toContain(`${mail.subject}\n\nComing in June.\n`);
    }

    const seen = await services.db.touchpoint.findMany({ where: { kind: "idea.status_change_seen", subjectId: id }, select: { memberId: true, data: true } });
    expect(seen).toHaveLength(5);
    expect(seen.find((s) => s.memberId === voters[0]!.id)?.data).toMatchObject({ status: "planned", role: "voter" });
    expect(seen.find((s) => s.memberId === author.id)?.data).toMatchObject({ role: "author" });
    expect(seen.find((s) => s.memberId === commenter.id)?.data).toMatchObject({ role: "commenter" });

    await setIdeaStatus(services, staff.actor, { ideaId: id, status: "in_progress" });
    await setIdeaStatus(services, staff.actor, { ideaId: id, status: "done", comment: "Shipped: SMS and email when the parcel arrives." });
    const done = await getIdea(services.db, id, null);
    expect(done?.statusChanges.map((c) => c.toStatus)).toEqual(["planned", "in_progress", "done"]);
    expect(done?.statusNoteHtml).toContain("Shipped");
    expect((await roadmap(services.db)).done.map((i) => i.id)).toContain(id);
    expect(await services.db.auditLog.count({ where: { action: "idea.status_changed", subjectId: id } })).toBe(3);
  });
});

describe("the ideas list", () => {
  it("sorts by top, new and trending (old votes fade) and filters by status, product, mine and voted", async () => {
    const product = await createProduct(services.db, { slug: "ideas-filter" });
    const me = await createMember(services.db);
    const crowd = await Promise.all(Array.from({ length: 8 }, () => createMember(services.db)));
    const now = new Date(Date.now() + 365 * DAY);
    const old = await idea(me, "An old favourite with many votes");
    const fresh = await idea(crowd[0]!, "A fresh idea people like right now", { productId: product.id });
    await services.db.idea.update({ where: { id: old }, data: { createdAt: new Date(now.getTime() - 80 * DAY) } });
    await services.db.ideaVote.updateMany({ where: { ideaId: old }, data: { createdAt: new Date(now.getTime() - 80 * DAY) } });
    await services.db.ideaVote.createMany({ data: crowd.map((c) => ({ ideaId: old, userId: c.id, createdAt: new Date(now.getTime() - 60 * DAY) })) });
    await services.db.idea.update({ where: { id: old }, data: { voteCount: 9 } });
    await services.db.idea.update({ where: { id: fresh }, data: { createdAt: new Date(now.getTime() - DAY) } });
    await services.db.ideaVote.updateMany({ where: { ideaId: fresh }, data: { createdAt: new Date(now.getTime() - DAY) } });
    await services.db.ideaVote.createMany({ data: crowd.slice(1, 3).map((c) => ({ ideaId: fresh, userId: c.id, createdAt: new Date(now.getTime() - DAY) })) });
    await services.db.idea.update({ where: { id: fresh }, data: { voteCount: 3 } });
    await toggleVote(services, me.actor, { ideaId: fresh });

    const order = async (sort: "top" | "new" | "trending") =>
      (await listIdeas(services.db, now, { sort, status: "all" })).items.map((i) => i.id).filter((id) => id === old || id === fresh);
    expect(await order("top")).toEqual([old, fresh]);
    expect(await order("trending")).toEqual([fresh, old]);
    expect(await order("new")).toEqual([fresh, old]);

    expect((await listIdeas(services.db, now, { productSlug: "ideas-filter", status: "all" })).items.map((i) => i.id)).toEqual([fresh]);
    expect((await topIdeasFor(services.db, product.id)).map((i) => [i.id, i.voteCount])).toEqual([[fresh, 4]]);
    expect((await listIdeas(services.db, now, { scope: "mine", viewerId: me.id, status: "all" })).items.map((i) => i.id)).toEqual([old]);
    const voted = await listIdeas(services.db, now, { scope: "voted", viewerId: me.id, status: "all", sort: "top" });
    expect(voted.items.map((i) => [i.id, i.voted])).toEqual([[old, true], [fresh, true]]);
    for (const sort of ["trending", "top"] as const) {
      expect((await listIdeas(services.db, now, { sort, status: "done", scope: "mine", viewerId: me.id })).items).toEqual([]);
    }
  });
});

describe("comments", () => {
  it("are flat markdown, edited or deleted by their author only; moderators remove others' (audited)", async () => {
    const author = await createMember(services.db);
    const other = await createMember(services.db);
    const moderator = await createModerator(services.db);
    const id = await idea(author, "Lưu nhiều địa chỉ giao hàng");
    expect(await addComment(services, other.actor, { ideaId: id, body: "" })).toMatchObject({ error: "invalid" });
    const first = await addComment(services, other.actor, { ideaId: id, body: "Mình cần **3 địa chỉ**.\n\n<script>alert(1)</script>" });
    if (!first.ok) throw new Error("comment");
    const page = await getIdea(services.db, id, other.id);
    expect(page?.comments[0]?.bodyHtml).toBe("<p>Mình cần <strong>3 địa chỉ</strong>.</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    expect(page?.commentCount).toBe(1);
    expect(page?.following).toBe(true);
    expect(await editComment(services, author.actor, { commentId: first.commentId, body: "Hijacked" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await editComment(services, other.actor, { commentId: first.commentId, body: "Mình cần 2 địa chỉ." })).toEqual({ ok: true, ideaId: id });
    expect((await getIdea(services.db, id, null))?.comments[0]).toMatchObject({ bodyHtml: "<p>Mình cần 2 địa chỉ.</p>\n" });
    expect(await deleteComment(services, author.actor, { commentId: first.commentId })).toEqual({ ok: false, error: "notAllowed" });
    const second = await addComment(services, author.actor, { ideaId: id, body: "Cảm ơn mọi người!" });
    if (!second.ok) throw new Error("comment");
    expect(await deleteComment(services, moderator.actor, { commentId: first.commentId })).toEqual({ ok: true, ideaId: id });
    expect(await deleteComment(services, author.actor, { commentId: second.commentId })).toEqual({ ok: true, ideaId: id });
    const after = await getIdea(services.db, id, null);
    expect(after?.commentCount).toBe(0);
    expect(after?.comments.map((c) => c.bodyHtml)).toEqual(["", ""]);
    expect(await services.db.auditLog.count({ where: { action: "idea.comment_removed", subjectId: first.commentId } })).toBe(1);
    expect((await listTimeline(services.db, other.id, { kinds: ["idea.commented"] })).items).toHaveLength(1);
  });
});

describe("the member's data export", () => {
  it("carries what they own, reviewed, suggested, voted for and commented", async () => {
    const { exportMemberData } = await import("../../../app/modules/members/my-data.server.ts");
    const { writeReview } = await import("../../../app/modules/products/review-commands.server.ts");
    const member = await createMember(services.db);
    const product = await createProduct(services.db, { slug: "export-me" });
    await services.db.productOwnership.create({ data: { productId: product.id, memberId: member.id } });
    await writeReview(services, member.actor, { productId: product.id, rating: 4, title: "Exported review", body: "Good **enough** for me." });
    const own = await idea(member, "An idea to be exported");
    const other = await idea(await createMember(services.db), "Someone else's idea to vote for");
    await toggleVote(services, member.actor, { ideaId: other });
    await addComment(services, member.actor, { ideaId: other, body: "My comment there." });
    const result = await exportMemberData(services, member.actor, { memberId: member.id }, { ip: "127.0.0.1" });
    if (!result.ok) throw new Error("export");
    expect(result.data.ownedProducts.map((o) => o.product.slug)).toEqual(["export-me"]);
    expect(result.data.reviews).toMatchObject([{ title: "Exported review", bodyMarkdown: "Good **enough** for me.", rating: 4 }]);
    expect(result.data.ideas.map((i) => i.id)).toEqual([own]);
    expect(result.data.ideaVotes.map((v) => v.idea.id).sort()).toEqual([own, other].sort());
    expect(result.data.ideaComments.map((c) => c.bodyMarkdown)).toEqual(["My comment there."]);
  });
});

describe("following, editing and removing ideas", () => {
  it("a new comment notifies the idea's followers, not its writer nor those who unfollowed", async () => {
    const author = await createMember(services.db);
    const voter = await createMember(services.db);
    const quiet = await createMember(services.db);
    const commenter = await createMember(services.db, { displayName: "Đặng Thu Hà" });
    const id = await idea(author, "Hóa đơn gộp cho nhiều đơn hàng");
    await toggleVote(services, voter.actor, { ideaId: id });
    await toggleVote(services, quiet.actor, { ideaId: id });
    await setFollowing(services, quiet.actor, { ideaId: id, following: false });
    const comment = await addComment(services, commenter.actor, { ideaId: id, body: "Công ty mình cũng cần!" });
    if (!comment.ok) throw new Error("comment");
    await services.dispatcher.drainNow();
    await services.dispatcher.drainNow();
    const bell = (userId: string) => services.db.notification.findMany({ where: { userId, kind: "idea.comment" }, select: { data: true, link: true } });
    const expected = [{ data: { name: "Đặng Thu Hà", title: "Hóa đơn gộp cho nhiều đơn hàng" }, link: `/ideas/${id}#comment-${comment.commentId}` }];
    expect(await bell(author.id)).toEqual(expected);
    expect(await bell(voter.id)).toEqual(expected);
    expect(await bell(quiet.id)).toEqual([]);
    expect(await bell(commenter.id)).toEqual([]);
    expect(renderNotification("en", "idea.comment", expected[0]!.data)).toBe("Đặng Thu Hà commented on the idea “Hóa đơn gộp cho nhiều đơn hàng”");
  });

  it("the author edits their idea, staff may too (audited), others may not; moderators remove spam", async () => {
    const author = await createMember(services.db);
    const stranger = await createMember(services.db);
    const staff = await createStaff(services.db);
    const moderator = await createModerator(services.db);
    const id = await idea(author, "Thanh toán bằng ví MoMo");
    const change = { title: "Thanh toán bằng ví MoMo và ZaloPay", body: "Hai ví phổ biến nhất ở Việt Nam." };
    expect(await editIdea(services, stranger.actor, { ideaId: id, ...change })).toEqual({ ok: false, error: "notAllowed" });
    expect(await editIdea(services, author.actor, { ideaId: id, ...change, title: "x" })).toMatchObject({ error: "invalid" });
    expect(await editIdea(services, author.actor, { ideaId: id, ...change })).toEqual({ ok: true });
    expect((await similarIdeas(services.db, "zalopay"))[0]?.id).toBe(id);
    expect(await editIdea(services, staff.actor, { ideaId: id, ...change, body: "Hai ví phổ biến nhất." })).toEqual({ ok: true });
    expect(await services.db.auditLog.count({ where: { action: "idea.edited", subjectId: id } })).toBe(1);
    expect((await getIdea(services.db, id, null))?.editedAt).not.toBeNull();

    expect(await removeIdea(services, author.actor, { ideaId: id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await removeIdea(services, moderator.actor, { ideaId: id })).toEqual({ ok: true });
    expect(await getIdea(services.db, id, null)).toBeNull();
    expect((await listIdeas(services.db, new Date(), { status: "all" })).items.map((i) => i.id)).not.toContain(id);
    expect(await services.db.auditLog.count({ where: { action: "idea.removed", subjectId: id } })).toBe(1);
  });
});
