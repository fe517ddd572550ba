/**
 * @mentions and the usernames behind them: who is told (once), who is not,
 * what the composer suggests, and how handles are chosen and changed.
 */
import { describe, expect, it } from "vitest";
import { quoteOf, replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { RENDERER_VERSION, renderMarkdown } from "../../../app/modules/markdown/render.server.ts";
import { FORMER_MEMBER_MARKER, nameFormerMembers, nameFormerMembersInText } from "../../../app/utils/former-member.ts";
import { loader as uploadLoader } from "../../../app/routes/uploads.$.tsx";
import { ORIGIN, routeContext } from "../../support/routes.ts";
import { snippet } from "../../../app/modules/search/text.ts";
import { editPost } from "../../../app/modules/forums/post-actions.server.ts";
import { setThreadWatch } from "../../../app/modules/forums/watching.server.ts";
import { MAX_MENTIONS_PER_POST, suggestMentions } from "../../../app/modules/forums/mentions.server.ts";
import { getMemberCard } from "../../../app/modules/forums/member-card.server.ts";
import { signUp } from "../../../app/modules/auth/signup.server.ts";
import { updateProfile } from "../../../app/modules/members/profile.server.ts";
import { deleteOwnAccount } from "../../../app/modules/members/my-data.server.ts";
import { ProfileSchema } from "../../../app/modules/members/profile-schema.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

let n = 0;
async function person(input: { displayName?: string; username?: string } = {}) {
  n += 1;
  const u = await createUser(services.db, {
    passwordHash: "x",
    createdAt: new Date(Date.now() - 90 * 86_400_000),
    username: input.username ?? `person_${n}_${Math.random().toString(36).slice(2, 8)}`,
    displayName: input.displayName,
  });
  return { id: u.id, role: u.role, username: u.username };
}

const notices = (userId: string, kind: string) =>
  services.db.notification.findMany({ where: { userId, kind }, select: { data: true, link: true } });

async function deliver() {
  await services.dispatcher.drainNow();
  await services.dispatcher.drainNow();
}

async function thread(author: { id: string; role: "member" | "moderator" | "staff" | "admin" }, body = "Opening post") {
  const category = await createCategory(services.db);
  const started = await startThread(services, author, { categoryId: category.id, title: "Giao hàng cuối tuần", body });
  if (!started.ok) throw new Error(`start failed: ${started.error}`);
  return started.threadId;
}

describe("mentioning people in posts", () => {
  it("links the handle, tells the person once, and they get the mention instead of the plain reply notice", async () => {
    const author = await person();
    const helper = await person();
    const threadId = await thread(author);
    await replyToThread(services, helper, { threadId, body: "I can help." });
    const reply = await replyToThread(services, author, { threadId, body: `Thanks @${helper.username.toUpperCase()}, can you share the form?` });
    if (!reply.ok) throw new Error("reply failed");
    await deliver();

    const post = await services.db.forumPost.findUniqueOrThrow({ where: { id: reply.postId }, select: { bodyHtml: true } });
    expect(post.bodyHtml).toContain(`<a href="/community/u/${helper.username}" class="mention">@${helper.username}</a>`);
    const mentions = await notices(helper.id, "forum.mention");
    expect(mentions).toHaveLength(1);
    expect(mentions[0]!.link).toBe(`/community/t/${threadId}#post-3`);
    // The helper watches the thread (they replied), but hears about this post once, as a mention.
    expect(await notices(helper.id, "forum.reply")).toHaveLength(0);
  });

  it("an opening post's mentions are told too; the author mentioning themselves is not", async () => {
    const author = await person();
    const expert = await person();
    await thread(author, `@${expert.username} and @${author.username}: what do you think?`);
    await deliver();
    expect(await notices(expert.id, "forum.mention")).toHaveLength(1);
    expect(await notices(author.id, "forum.mention")).toHaveLength(0);
  });

  it("leaves unknown handles, code, links and emails alone", async () => {
    const author = await person();
    const known = await person();
    const body = [
      "@nobody_here_at_all is not a member.",
      `\`@${known.username}\` is code, and so is`,
      "",
      "```",
      `@${known.username}`,
      "```",
      "",
      `[@${known.username}](https://example.com) is a link; so is mail+${known.username}@example.com.`,
    ].join("\n");
    const threadId = await thread(author, body);
    await deliver();
    const post = await services.db.forumPost.findFirstOrThrow({ where: { threadId, position: 1 }, select: { bodyHtml: true } });
    expect(post.bodyHtml).not.toContain('class="mention"');
    expect(post.bodyHtml).toContain("@nobody_here_at_all");
    expect(await notices(known.id, "forum.mention")).toHaveLength(0);
  });

  it("someone who muted the thread is not told", async () => {
    const author = await person();
    const quiet = await person();
    const threadId = await thread(author);
    await setThreadWatch(services, quiet, { threadId, level: "muted" });
    await replyToThread(services, author, { threadId, body: `Ping @${quiet.username}` });
    await deliver();
    expect(await notices(quiet.id, "forum.mention")).toHaveLength(0);
  });

  it("an edit tells only the people it newly mentions", async () => {
    const author = await person();
    const first = await person();
    const second = await person();
    const threadId = await thread(author);
    const reply = await replyToThread(services, author, { threadId, body: `Asking @${first.username}` });
    if (!reply.ok) throw new Error("reply failed");
    expect(await editPost(services, author, { postId: reply.postId, body: `Asking @${first.username} and @${second.username}` })).toEqual({ ok: true });
    expect(await editPost(services, author, { postId: reply.postId, body: `Asking @${first.username}, @${second.username} again` })).toEqual({ ok: true });
    await deliver();
    expect(await notices(first.id, "forum.mention")).toHaveLength(1);
    expect(await notices(second.id, "forum.mention")).toHaveLength(1);
  });

  it(`refuses more than ${MAX_MENTIONS_PER_POST} mentions in a post, with a message, and writes nothing`, async () => {
    const author = await person();
    const threadId = await thread(author);
    const crowd = await Promise.all(Array.from({ length: MAX_MENTIONS_PER_POST + 1 }, () => person()));
    const before = await services.db.forumPost.count({ where: { threadId } });
    const result = await replyToThread(services, author, { threadId, body: crowd.map((p) => `@${p.username}`).join(" ") });
    expect(result).toEqual({ ok: false, error: "invalid", fieldErrors: { body: ["forum.tooManyMentions"] } });
    expect(await services.db.forumPost.count({ where: { threadId } })).toBe(before);
    await deliver();
    expect(await services.db.notification.count({ where: { userId: { in: crowd.map((p) => p.id) } } })).toBe(0);
  });

  it("a deleted account is neither linked nor told", async () => {
    const author = await person();
    const gone = await createUser(services.db, { password: "một mật khẩu dài", username: `gone_${Date.now() % 100000}` });
    expect((await deleteOwnAccount(services, { id: gone.id, role: "member" }, { password: "một mật khẩu dài" }, { ip: "127.0.0.1" })).ok).toBe(true);
    const threadId = await thread(author, `Where is @${gone.username}? And @${(await services.db.user.findUniqueOrThrow({ where: { id: gone.id } })).username}?`);
    await deliver();
    const post = await services.db.forumPost.findFirstOrThrow({ where: { threadId, position: 1 }, select: { bodyHtml: true } });
    expect(post.bodyHtml).not.toContain('class="mention"');
    expect(await services.db.notification.count({ where: { userId: gone.id } })).toBe(0);
    expect(await getMemberCard(services.db, null, gone.username)).toBeNull();
  });
});

describe("a deleted account in others' posts (ADR 013)", () => {
  it("mentions and quotes of them read 'Former member' with no link, keep neither their handle nor their name (in the post, its history or search), and their erased photo shows as removed, not broken", async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const gone = await createUser(services.db, { password: "một mật khẩu dài", username: `tranbe_${tag}`, displayName: "Trần Thị Bé", createdAt: new Date(Date.now() - 90 * 86_400_000) });
    const photo = `avatars/tranbe${tag}-0a1b2c3d4e5f.webp`;
    await services.storage.put(photo, Buffer.from("webp bytes"), "image/webp");
    await services.db.user.update({ where: { id: gone.id }, data: { avatarKey: photo } });
    const friend = await person({ displayName: "Lê Văn Tám" });
    const threadId = await thread({ id: gone.id, role: "member" }, `Áo mưa của mình sau hai năm:\n\n![áo mưa](/uploads/${photo})`);
    const opening = await services.db.forumPost.findFirstOrThrow({ where: { threadId, position: 1 }, select: { id: true } });
    const quote = await quoteOf(services.db, friend, opening.id);
    expect(quote).toMatch(/^> \*\*Trần Thị Bé:\*\* /);
    const reply = await replyToThread(services, friend, { threadId, body: `${quote}Đẹp quá @${gone.username}!`, quotePostId: opening.id });
    if (!reply.ok) throw new Error(`reply failed: ${reply.error}`);
    expect((await editPost(services, friend, { postId: reply.postId, body: `${quote}Đẹp quá @${gone.username}! Mua ở đâu vậy?` })).ok).toBe(true);
    await deliver();
    const findHandle = () => services.search.search({ q: `tranbe_${tag}`, offset: 0, limit: 5, kinds: ["post"] }, { role: "admin", managerIds: [] });
    expect((await findHandle()).hits.map((h) => h.sourceId)).toEqual([reply.postId]);

    expect((await deleteOwnAccount(services, { id: gone.id, role: "member" }, { password: "một mật khẩu dài" }, { ip: "127.0.0.1" })).ok).toBe(true);
    await deliver();

    const post = await services.db.forumPost.findUniqueOrThrow({ where: { id: reply.postId }, select: { bodyMarkdown: true, bodyHtml: true, rendererVersion: true, revisions: { select: { bodyMarkdown: true } } } });
    for (const text of [post.bodyMarkdown, post.bodyHtml, ...post.revisions.map((r) => r.bodyMarkdown)]) {
      expect(text).not.toContain(`tranbe_${tag}`);
      expect(text).not.toContain("Trần Thị Bé");
    }
    expect(post.revisions).toHaveLength(1);
    expect(post.rendererVersion).toBe(RENDERER_VERSION);
    // Both the quote's attribution and the mention are the marker, which the page names in the reader's language.
    expect(post.bodyHtml.split(FORMER_MEMBER_MARKER)).toHaveLength(3);
    expect(post.bodyHtml).not.toContain("/community/u/");
    expect(nameFormerMembers(post.bodyHtml, "Former member")).toContain('<strong><span class="mention mention--former">Former member</span>:</strong>');
    expect(nameFormerMembers(post.bodyHtml, "Cựu thành viên")).toContain('Đẹp quá <span class="mention mention--former">Cựu thành viên</span>! Mua ở đâu vậy?');
    expect((await findHandle()).hits).toEqual([]);
    // In plain text (search snippets, member cards' excerpts) they keep a place the page names too.
    const found = await services.search.search({ q: "mua ở đâu vậy", offset: 0, limit: 5, kinds: ["post"] }, { role: "admin", managerIds: [] });
    const body = found.hits.find((h) => h.sourceId === reply.postId)!.body;
    expect(nameFormerMembersInText(snippet(body, ["mua"]).map((s) => s.text).join(""), "Former member")).toContain("Đẹp quá Former member! Mua ở đâu vậy?");
    const card = await getMemberCard(services.db, null, friend.username);
    expect(nameFormerMembersInText(card!.recent[0]!.excerpt, "Cựu thành viên")).toBe("Cựu thành viên: Áo mưa của mình sau hai năm: Đẹp quá Cựu thành viên! Mua ở đâu vậy?");

    // Quoting them now: the same marker, never an empty name.
    const later = await quoteOf(services.db, friend, opening.id);
    expect(renderMarkdown(later!, "full", { former: [(await services.db.user.findUniqueOrThrow({ where: { id: gone.id } })).username] }).html).toContain(`<strong>${FORMER_MEMBER_MARKER}:</strong>`);

    // Their photo is erased; where their post still shows it, a "removed" picture answers instead of a broken image.
    expect(await services.storage.get(photo)).toBeNull();
    const served = (await uploadLoader({ request: new Request(`${ORIGIN}/uploads/${photo}`), params: { "*": photo }, context: routeContext(services, null) })) as Response;
    expect([served.status, served.headers.get("content-type")]).toEqual([404, "image/svg+xml"]);
    expect(await served.text()).toMatch(/^<svg /);
  });
});

describe("suggesting people after @", () => {
  it("matches handles and names (without accents too), puts this thread's people first, and never the viewer", async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const viewer = await person({ username: `viewer_${tag}` });
    const outsider = await person({ username: `chau_${tag}_a`, displayName: "Châu Ngoài" });
    const participant = await person({ username: `chau_${tag}_z`, displayName: "Châu Trong" });
    const threadId = await thread(viewer);
    await replyToThread(services, participant, { threadId, body: "Mình ở đây" });

    const inThread = await suggestMentions(services.db, viewer, `chau_${tag}`, threadId);
    expect(inThread.map((p) => p.username)).toEqual([participant.username, outsider.username]);
    const anywhere = await suggestMentions(services.db, viewer, `@chau_${tag}`);
    expect(anywhere.map((p) => p.username)).toEqual([outsider.username, participant.username]);
    expect(await suggestMentions(services.db, viewer, `viewer_${tag}`)).toEqual([]);
    // Nothing beyond what the community may see.
    expect(Object.keys(anywhere[0]!).sort()).toEqual(["avatarKey", "displayName", "id", "username"]);
  });

  it("finds people by their display name", async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const viewer = await person();
    const found = await person({ username: `x_${tag}`, displayName: `Hoàng Yến ${tag}` });
    const result = await suggestMentions(services.db, viewer, `yến ${tag}`);
    expect(result.map((p) => p.id)).toEqual([found.id]);
  });
});

describe("usernames", () => {
  const device = { ip: "10.9.8.7", userAgent: "vitest" };

  it("sign-up takes a chosen handle, refuses a taken one, and makes one from the name when left empty", async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const chosen = await signUp(
      services,
      { email: `a-${tag}@example.test`, displayName: "Ann", username: `Ann_${tag}`, password: "dài dài dài dài", locale: "en" },
      device,
    );
    if (!chosen.ok) throw new Error(chosen.error);
    expect((await services.db.user.findUniqueOrThrow({ where: { id: chosen.userId } })).username).toBe(`ann_${tag}`);

    const taken = await signUp(
      services,
      { email: `b-${tag}@example.test`, displayName: "Other Ann", username: `ann_${tag}`, password: "dài dài dài dài", locale: "en" },
      device,
    );
    expect(taken).toMatchObject({ ok: false, error: "usernameTaken", fieldErrors: { username: ["validation.usernameTaken"] } });
    expect(await services.db.user.count({ where: { email: `b-${tag}@example.test` } })).toBe(0);

    const made = [];
    for (const email of [`c-${tag}@example.test`, `d-${tag}@example.test`]) {
      const r = await signUp(services, { email, displayName: `Đặng Thu ${tag}`, password: "dài dài dài dài", locale: "vi" }, device);
      if (!r.ok) throw new Error(r.error);
      made.push((await services.db.user.findUniqueOrThrow({ where: { id: r.userId } })).username);
    }
    expect(made).toEqual([`dangthu${tag}`, `dangthu${tag}2`]);
  });

  it("a member changes their handle in the profile, but not to someone else's", async () => {
    const me = await person();
    const other = await person();
    const base = { displayName: "Lê Thu", timezone: "Asia/Ho_Chi_Minh", locale: "vi", contactChannel: "chat" };
    const taken = await updateProfile(services, me, { ...ProfileSchema.parse({ ...base, username: other.username }), memberId: me.id });
    expect(taken).toEqual({ ok: false, error: "usernameTaken" });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: me.id } })).displayName).not.toBe("Lê Thu");

    const fresh = `le_thu_${Math.random().toString(36).slice(2, 7)}`;
    expect(await updateProfile(services, me, { ...ProfileSchema.parse({ ...base, username: `@${fresh.toUpperCase()}` }), memberId: me.id })).toEqual({ ok: true });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: me.id } })).username).toBe(fresh);
  });

  it("refuses handles that are too short, too long or not plain ASCII", () => {
    const base = { displayName: "A B", timezone: "Asia/Ho_Chi_Minh", locale: "en", contactChannel: "email" };
    for (const [username, error] of [
      ["ab", "validation.usernameTooShort"],
      ["a".repeat(21), "validation.usernameTooLong"],
      ["thư", "validation.usernameInvalid"],
      ["has space", "validation.usernameInvalid"],
    ] as const) {
      const parsed = ProfileSchema.safeParse({ ...base, username });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message)).toContain(error);
    }
  });
});
