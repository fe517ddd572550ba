/**
 * A category only staff read (Discourse's category security): members,
 * moderators and visitors get a 404 for it, its threads and every action on
 * them, do not see it in lists, counts or profiles, and are never told about
 * what is said there. Staff and admins read and reply as anywhere else.
 */
import { describe, expect, it } from "vitest";
import { loader as indexLoader } from "../../../app/routes/community._index.tsx";
import { action as categoryAction, loader as categoryLoader } from "../../../app/routes/community.c.$slug.tsx";
import { action as threadAction, loader as threadLoader } from "../../../app/routes/community.t.$threadId.tsx";
import { loader as cardLoader } from "../../../app/routes/community.u.$username.tsx";
import { loader as newThreadLoader } from "../../../app/routes/community.new.tsx";
import { replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { setCategoryWatch, setThreadWatch } from "../../../app/modules/forums/watching.server.ts";
import { flagPost, reviewQueue } from "../../../app/modules/forums/flags.server.ts";
import { saveCategory } from "../../../app/modules/forums/categories.server.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { ORIGIN, formPost, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

async function createModerator(): Promise<Person> {
  const user = await createUser(services.db, { role: "moderator", passwordHash: "x" });
  return { ...user, actor: { id: user.id, role: user.role } };
}

/** A staff-only category with one thread a staff member started and a colleague answered. */
async function staffLounge() {
  const category = await createCategory(services.db, { readRole: "staff", postingRole: "staff", nameEn: "Staff lounge", nameVi: "Phòng nhân viên" });
  const author = await createStaff(services.db);
  const colleague = await createStaff(services.db);
  const started = await startThread(services, author.actor, { categoryId: category.id, title: "Lịch trực chat dịp Tết", body: "Ai nhận ca mùng 1?" });
  if (!started.ok) throw new Error(`start failed: ${started.error}`);
  const reply = await replyToThread(services, colleague.actor, { threadId: started.threadId, body: "Mình nhận ca sáng." });
  if (!reply.ok) throw new Error(`reply failed: ${reply.error}`);
  const posts = await services.db.forumPost.findMany({ where: { threadId: started.threadId }, orderBy: { position: "asc" }, select: { id: true } });
  return { category, author, colleague, threadId: started.threadId, postIds: posts.map((p) => p.id) };
}

const threadPage = (who: Person | null, threadId: string, query = "") =>
  routeAnswer(() => threadLoader({ request: new Request(`${ORIGIN}/community/t/${threadId}${query}`), context: routeContext(services, who), params: { threadId } }) as Promise<unknown>);
const threadAct = (who: Person | null, threadId: string, fields: Record<string, string>) =>
  routeAnswer(() => threadAction({ request: formPost(`/community/t/${threadId}`, fields), context: routeContext(services, who), params: { threadId } }) as Promise<unknown>);
const categoryPage = (who: Person | null, slug: string) =>
  routeAnswer(() => categoryLoader({ request: new Request(`${ORIGIN}/community/c/${slug}`), context: routeContext(services, who), params: { slug } }) as Promise<unknown>);
const categoryAct = (who: Person | null, slug: string, fields: Record<string, string>) =>
  routeAnswer(() => categoryAction({ request: formPost(`/community/c/${slug}`, fields), context: routeContext(services, who), params: { slug } }) as Promise<unknown>);
const communityIndex = async (who: Person | null) =>
  (await routeAnswer(() => indexLoader({ request: new Request(`${ORIGIN}/community`), context: routeContext(services, who), params: {} }) as Promise<unknown>)) as {
    status: number;
    data: { categories: { id: string; threadCount: number }[]; latest: { items: { id: string }[] } };
  };
const memberCard = async (who: Person | null, username: string) =>
  (await routeAnswer(() => cardLoader({ request: new Request(`${ORIGIN}/community/u/${username}`), context: routeContext(services, who), params: { username } }) as Promise<unknown>)) as {
    data: { member: { stats: { threads: number; replies: number; solutions: number }; recent: { thread: { id: string } }[] } };
  };

const notices = (userId: string, kind: string) => services.db.notification.count({ where: { userId, kind } });
async function deliver() {
  await services.dispatcher.drainNow();
  await services.dispatcher.drainNow();
}

describe("a category only staff may read", () => {
  it("is a 404 for members, moderators and visitors: its page, its thread, and every action on them; nothing is written", async () => {
    const { category, threadId, postIds } = await staffLounge();
    const outsiders = [await createMember(services.db), await createModerator(), null];
    const replyId = postIds[1]!;
    const actions: Record<string, string>[] = [
      { intent: "reply", body: "Một câu trả lời lạc chỗ" },
      { intent: "reply", body: "Trích dẫn", quotePostId: postIds[0]! },
      { intent: "watch", level: "watching" },
      { intent: "watch", level: "muted" },
      { intent: "react", postId: replyId, kind: "like", position: "2" },
      { intent: "accept", postId: replyId, position: "2" },
      { intent: "unaccept", postId: replyId, position: "2" },
      { intent: "edit", postId: replyId, body: "Sửa bài người khác", position: "2" },
      { intent: "delete", postId: replyId, position: "2" },
      { intent: "flag", postId: replyId, reason: "spam" },
      { intent: "hide", postId: replyId, position: "2" },
      { intent: "restore", postId: replyId, position: "2" },
      { intent: "pin" },
      { intent: "lock" },
      { intent: "rename-move", title: "Một tiêu đề mới toanh", categoryId: category.id },
    ];
    for (const who of outsiders) {
      const label = who?.role ?? "visitor";
      expect((await categoryPage(who, category.slug)).status, label).toBe(404);
      expect((await categoryAct(who, category.slug, { level: "watching" })).status, label).toBe(404);
      expect((await threadPage(who, threadId)).status, label).toBe(404);
      for (const fields of actions) expect((await threadAct(who, threadId, fields)).status, `${label} ${fields.intent}`).toBe(404);
    }
    // Nothing happened: no post, reaction, flag, watch, edit or moderation.
    expect(await services.db.forumPost.count({ where: { threadId } })).toBe(2);
    expect(await services.db.forumReaction.count({ where: { postId: { in: postIds } } })).toBe(0);
    expect(await services.db.forumFlag.count({ where: { postId: { in: postIds } } })).toBe(0);
    expect(await services.db.forumCategoryWatch.count({ where: { categoryId: category.id } })).toBe(0);
    expect(await services.db.forumThreadWatch.count({ where: { threadId, userId: { in: outsiders.flatMap((o) => (o ? [o.id] : [])) } } })).toBe(0);
    expect(await services.db.forumThread.findUniqueOrThrow({ where: { id: threadId }, select: { title: true, pinnedAt: true, lockedAt: true, solvedPostId: true } })).toEqual({
      title: "Lịch trực chat dịp Tết", pinnedAt: null, lockedAt: null, solvedPostId: null,
    });
    expect(await services.db.forumPost.findUniqueOrThrow({ where: { id: replyId }, select: { editedAt: true, deletedAt: true, hiddenAt: true } })).toEqual({
      editedAt: null, deletedAt: null, hiddenAt: null,
    });
  });

  it("staff and admins read it and reply; a member who hears of a staff post cannot quote it into a public thread", async () => {
    const { category, threadId, postIds } = await staffLounge();
    for (const who of [await createStaff(services.db), await createAdmin(services.db)]) {
      expect((await categoryPage(who, category.slug)).status).toBe(200);
      expect((await threadPage(who, threadId)).status).toBe(200);
      expect(await threadAct(who, threadId, { intent: "reply", body: `${who.role} cũng nhận một ca` })).toMatchObject({ status: 200, data: { ok: true } });
    }
    expect(await services.db.forumPost.count({ where: { threadId } })).toBe(4);

    const publicCategory = await createCategory(services.db);
    const member = await createMember(services.db);
    const started = await startThread(services, member.actor, { categoryId: publicCategory.id, title: "Một chủ đề công khai", body: "Xin chào" });
    if (!started.ok) throw new Error("start failed");
    const quoted = (await threadPage(member, started.threadId, `?quote=${postIds[0]}`)) as { status: number; data: { quote: string | null } };
    expect(quoted.status).toBe(200);
    expect(quoted.data.quote).toBeNull();
    const staffQuote = (await threadPage(await createStaff(services.db), threadId, `?quote=${postIds[0]}`)) as { data: { quote: string | null } };
    expect(staffQuote.data.quote).toContain("Ai nhận ca mùng 1?");
  });

  it("lists, counts and profiles leave it out for those who may not read it", async () => {
    const { category, author, colleague, threadId } = await staffLounge();
    const member = await createMember(services.db);
    for (const who of [member, await createModerator(), null]) {
      const index = await communityIndex(who);
      expect(index.data.categories.map((c) => c.id)).not.toContain(category.id);
      expect(index.data.latest.items.map((t) => t.id)).not.toContain(threadId);
      // The staff member's public card: no thread, no reply, no recent post from the lounge.
      const card = await memberCard(who, colleague.username);
      expect(card.data.member.stats).toEqual({ threads: 0, replies: 0, solutions: 0 });
      expect(card.data.member.recent).toEqual([]);
      expect((await memberCard(who, author.username)).data.member.stats.threads).toBe(0);
    }
    const newThread = (await routeAnswer(() => newThreadLoader({ request: new Request(`${ORIGIN}/community/new`), context: routeContext(services, member), params: {} }) as Promise<unknown>)) as {
      data: { categories: { id: string }[] };
    };
    expect(newThread.data.categories.map((c) => c.id)).not.toContain(category.id);
    // Naming the category by id does not help either: it is answered as one that does not exist.
    expect(await startThread(services, member.actor, { categoryId: category.id, title: "Thử vào phòng nhân viên", body: "Xin chào" })).toMatchObject({
      ok: false, error: "invalid", fieldErrors: { categoryId: ["forum.categoryRequired"] },
    });

    const staff = await createStaff(services.db);
    const index = await communityIndex(staff);
    expect(index.data.categories.find((c) => c.id === category.id)?.threadCount).toBe(1);
    expect(index.data.latest.items.map((t) => t.id)).toContain(threadId);
    const card = await memberCard(staff, colleague.username);
    expect(card.data.member.stats.replies).toBe(1);
    expect(card.data.member.recent.map((p) => p.thread.id)).toEqual([threadId]);
  });

  it("a mention of someone who may not read the thread tells nobody; a staff colleague is told", async () => {
    const { author, threadId } = await staffLounge();
    const member = await createMember(services.db);
    const moderator = await createModerator();
    const colleague = await createStaff(services.db);
    const reply = await replyToThread(services, author.actor, { threadId, body: `Hỏi @${member.username}, @${moderator.username} và @${colleague.username} xem sao` });
    expect(reply.ok).toBe(true);
    await deliver();
    expect(await notices(member.id, "forum.mention")).toBe(0);
    expect(await notices(moderator.id, "forum.mention")).toBe(0);
    expect(await notices(colleague.id, "forum.mention")).toBe(1);
    expect(await services.db.notification.count({ where: { userId: { in: [member.id, moderator.id] } } })).toBe(0);
  });

  it("watchers who may not read it hear nothing: those from before it became staff-only, and staff who were demoted", async () => {
    const admin = await createAdmin(services.db);
    const category = await createCategory(services.db);
    const member = await createMember(services.db);
    const categoryFan = await createMember(services.db);
    const staffWatcher = await createStaff(services.db);
    const demoted = await createStaff(services.db);
    const started = await startThread(services, member.actor, { categoryId: category.id, title: "Trước khi thành phòng nhân viên", body: "Mở đầu" });
    if (!started.ok) throw new Error("start failed");
    expect(await setCategoryWatch(services, categoryFan.actor, { categoryId: category.id, level: "watching" })).toEqual({ ok: true });
    expect(await setThreadWatch(services, staffWatcher.actor, { threadId: started.threadId, level: "watching" })).toEqual({ ok: true });
    expect(await setThreadWatch(services, demoted.actor, { threadId: started.threadId, level: "watching" })).toEqual({ ok: true });

    const form = { slug: category.slug, nameVi: category.nameVi, nameEn: category.nameEn, color: category.color, position: "1", postingRole: "member", readRole: "staff" };
    expect(await saveCategory(services, admin.actor, { ...form, id: category.id })).toEqual({ ok: true, id: category.id });
    // Nor can they start watching it now.
    expect(await setCategoryWatch(services, member.actor, { categoryId: category.id, level: "watching" })).toEqual({ ok: false, error: "notFound" });
    expect(await setThreadWatch(services, member.actor, { threadId: started.threadId, level: "muted" })).toEqual({ ok: false, error: "notFound" });

    const reply = await replyToThread(services, (await createStaff(services.db)).actor, { threadId: started.threadId, body: "Chủ đề này giờ chỉ nhân viên đọc" });
    expect(reply.ok).toBe(true);
    // Demoted after the reply was written, before its notices went out: checked again at delivery.
    await services.db.user.update({ where: { id: demoted.id }, data: { role: "member" } });
    await deliver();
    expect(await notices(member.id, "forum.reply")).toBe(0);
    expect(await notices(categoryFan.id, "forum.reply")).toBe(0);
    expect(await notices(demoted.id, "forum.reply")).toBe(0);
    expect(await notices(staffWatcher.id, "forum.reply")).toBe(1);
    // The author of the opening post now gets a 404 too: they lost read access with the category.
    expect((await threadPage(member, started.threadId)).status).toBe(404);
    const audit = await services.db.auditLog.findFirstOrThrow({ where: { action: "forum.category_saved", subjectId: category.id }, select: { data: true } });
    expect(audit.data).toMatchObject({ readRole: "staff", fromReadRole: "everyone" });
  });

  it("moderators neither flag nor review posts in it; staff do", async () => {
    const { postIds } = await staffLounge();
    const moderator = await createModerator();
    const staff = await createStaff(services.db);
    expect(await flagPost(services, moderator.actor, { postId: postIds[1]!, reason: "spam" })).toEqual({ ok: false, error: "notFound" });
    expect(await flagPost(services, staff.actor, { postId: postIds[1]!, reason: "off_topic" })).toEqual({ ok: true, hidden: false });
    expect((await reviewQueue(services, moderator.actor))?.map((q) => q.post.id)).not.toContain(postIds[1]);
    expect((await reviewQueue(services, staff.actor))?.map((q) => q.post.id)).toContain(postIds[1]);
  });

  it("admins choose who can read; the choice is required, so a form without it cannot open a staff category by accident", async () => {
    const admin = await createAdmin(services.db);
    const form = { slug: "phong-rieng", nameVi: "Phòng riêng", nameEn: "Back room", color: "#3d4f5c", position: "9", postingRole: "staff" };
    expect(await saveCategory(services, admin.actor, form)).toMatchObject({ ok: false, fieldErrors: { readRole: ["validation.required"] } });
    expect(await saveCategory(services, admin.actor, { ...form, readRole: "anyone" })).toMatchObject({ ok: false, error: "invalid" });
    const saved = await saveCategory(services, admin.actor, { ...form, readRole: "staff" });
    if (!saved.ok) throw new Error("save failed");
    expect(await services.db.forumCategory.findUniqueOrThrow({ where: { id: saved.id }, select: { readRole: true } })).toEqual({ readRole: "staff" });
  });
});
