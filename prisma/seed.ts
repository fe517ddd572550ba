/**
 * Demo data, built from the test factories. Idempotent: it runs only on a
 * database without the demo admin.
 */
import type { Db } from "../app/modules/services.server.ts";
import { hashPassword } from "../app/modules/passwords.server.ts";
import { createUser } from "../tests/factories/users.ts";
import { usernameBase } from "../app/modules/members/usernames.ts";
import { renderMarkdown } from "../app/modules/markdown/render.server.ts";
import { ADMIN_PERSON, MEMBER_PEOPLE, STAFF_PEOPLE } from "../tests/factories/people.ts";
import { addAssignment, addConsent, addPreference, addTouchpoint } from "../tests/factories/relationship.ts";
import { createCategory, createThread } from "../tests/factories/forums.ts";
import { seedCoCreation } from "./seed-co-creation.ts";
import { seedConsole } from "./seed-console.ts";
import { giveContactHours } from "../tests/factories/contact-hours.ts";
import { seedSegments } from "./seed-segments.ts";
import { seedAnnouncements } from "./seed-announcements.ts";
import { seedOffers } from "./seed-offers.ts";
import { recomputeEngagement, TOUCHPOINT_RECORDED } from "../app/modules/console/engagement.server.ts";
import { reindexSearch, SEARCH_SYNC, type IndexServices } from "../app/modules/search/indexing.server.ts";

/** Email hours some demo members chose (weekdays 1 = Monday; their own time zone). */
const EMAIL_WINDOWS = [
  { weekdays: [1, 2, 3, 4, 5], from: "08:00", to: "20:00" },
  { weekdays: [1, 2, 3, 4, 5, 6], from: "09:00", to: "17:30" },
  { weekdays: [6, 7], from: "10:00", to: "16:00" },
  { weekdays: [1, 3, 5], from: "19:00", to: "22:00" },
];

const COMPANIES = ["Công ty TNHH Hoa Sen", "Blue Harbour Ltd", "Cà phê Phố Cổ", "Saigon Outdoor Co.", "Nhà sách Trí Việt", null, "Mekong Foods JSC", null];
const BIOS = [
  "Yêu cà phê sữa đá và những chuyến đi Đà Lạt.",
  "Runner, home cook, and a fan of well-made tools.",
  "Chủ một cửa hàng nhỏ ở Hội An, thích sản phẩm bền và đẹp.",
  "I buy for a team of twelve; invoices matter to me.",
  null,
];
const TIMEZONES = ["Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Europe/London", "Asia/Singapore"];
const PREFERENCE_SETS: { key: string; value: string; by: "member" | "staff" }[][] = [
  [{ key: "delivery_window", value: "morning", by: "member" }, { key: "invoice_format", value: "e_invoice", by: "staff" }],
  [{ key: "packaging", value: "plastic_free", by: "member" }, { key: "product_interests", value: "running shoes, rain jackets", by: "member" }],
  [{ key: "invoice_schedule", value: "monthly", by: "staff" }, { key: "notes", value: "Gọi trước khi giao hàng 30 phút.", by: "staff" }],
  [{ key: "clothing_size", value: "M", by: "member" }, { key: "delivery_window", value: "weekend", by: "staff" }],
  [{ key: "product_interests", value: "cà phê, ấm pha trà", by: "member" }],
];

export const DEMO_PASSWORD = "rapport-demo";
const DAY = 24 * 60 * 60_000;

export async function seedDemoData(db: Db, now = new Date()) {
  if (await db.user.findUnique({ where: { email: "admin@rapport.local" }, select: { id: true } })) {
    return { created: false };
  }
  // One hash for every demo account: argon2id at OWASP's cost is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const since = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);

  await createUser(db, { email: "admin@rapport.local", role: "admin", passwordHash, createdAt: since(720), ...ADMIN_PERSON, username: usernameBase(ADMIN_PERSON.displayName) });
  const staff = [];
  for (const [i, person] of STAFF_PEOPLE.entries()) {
    const member = await createUser(db, {
      email: `staff${i + 1}@rapport.local`,
      role: "staff",
      passwordHash,
      createdAt: since(600 - i * 40),
      ...person,
      username: usernameBase(person.displayName),
    });
    // Shown to their members as "usually available".
    await db.user.update({
      where: { id: member.id },
      data: { contactHours: ["Thứ 2–Thứ 6, 8:30–17:30", "Mon–Fri, 9:00–18:00", "Thứ 2–Thứ 7, 8:00–12:00"][i] ?? null },
    });
    staff.push(member);
  }
  for (const [i, person] of MEMBER_PEOPLE.entries()) {
    const manager = staff[i % staff.length]!;
    const joined = since(400 - i * 11);
    const member = await createUser(db, {
      email: `member${i + 1}@rapport.local`,
      role: i === 4 ? "moderator" : "member",
      passwordHash,
      accountManagerId: manager.id,
      createdAt: joined,
      ...person,
      // Readable handles to @mention in the demo: "Phạm Minh Châu" is @phamminhchau.
      username: usernameBase(person.displayName),
    });
    await db.user.update({
      where: { id: member.id },
      data: {
        company: COMPANIES[i % COMPANIES.length] ?? null,
        bio: BIOS[i % BIOS.length] ?? null,
        timezone: TIMEZONES[i % TIMEZONES.length]!,
        phone: i % 3 === 0 ? `+84 9${String(10_000_000 + i * 7_919).slice(0, 8)}` : null,
        contactChannel: (["chat", "email", "phone"] as const)[i % 3],
        contactHours: i % 2 === 0 ? "Thứ 2–Thứ 6, 9:00–17:00" : null,
      },
    });
    const at = (days: number) => new Date(joined.getTime() + days * DAY);
    await addTouchpoint(db, { memberId: member.id, kind: "account.signed_up", actorId: member.id, at: joined });
    await addTouchpoint(db, { memberId: member.id, kind: "account.email_verified", actorId: member.id, at: at(0.01) });
    await addAssignment(db, { memberId: member.id, managerId: manager.id, managerName: manager.displayName, at: at(0.02) });
    await addConsent(db, { memberId: member.id, channel: "newsletter", granted: i % 2 === 0, source: "signup", at: at(0.01) });
    await addConsent(db, { memberId: member.id, channel: "product_updates", granted: i % 3 !== 2, source: "signup", at: at(0.01) });
    if (i % 4 === 1) await addConsent(db, { memberId: member.id, channel: "surveys", granted: true, source: "profile", at: at(20) });
    for (const [j, pref] of (PREFERENCE_SETS[i % PREFERENCE_SETS.length] ?? []).entries()) {
      await addPreference(db, {
        memberId: member.id,
        key: pref.key,
        value: pref.value,
        source: pref.by,
        actorId: pref.by === "staff" ? manager.id : member.id,
        at: at(3 + j * 17),
      });
    }
    await addTouchpoint(db, { memberId: member.id, kind: "profile.updated", actorId: member.id, data: { fields: "bio,company" }, at: at(2) });
    // Every fifth member chose when we may email them: announcement mail waits for it.
    const window = i % 5 === 0 ? EMAIL_WINDOWS[(i / 5) % EMAIL_WINDOWS.length] : undefined;
    if (window) await giveContactHours(db, { memberId: member.id, ...window, at: at(2) });
  }
  await seedForums(db, now);
  await seedChats(db, now);
  await seedCoCreation(db, now);
  await seedChatTeam(db, staff.map((s) => s.id));
  await seedConsole(db, now);
  await seedSegments(db, now);
  await seedAnnouncements(db, now);
  await seedOffers(db, now);
  await settleSeededTouchpoints(db, now);
  return { created: true };
}

/**
 * Every touchpoint above queued a live event (recompute the member's score,
 * push it to staff watching the member's page). Nobody watches while the
 * demo is seeded: the scores are computed once here, and the ~800 events are
 * marked done instead of keeping a fresh demo busy for its first minute.
 */
async function settleSeededTouchpoints(db: Db, now: Date) {
  const members = await db.user.findMany({ where: { touchpoints: { some: {} } }, select: { id: true } });
  for (const member of members) await recomputeEngagement(db, member.id, now);
  await db.outboxEvent.updateMany({ where: { type: TOUCHPOINT_RECORDED, status: "pending" }, data: { status: "done", processedAt: now } });
}

/**
 * After seeding: the search index built in one pass, and the per-row sync
 * events the seed's writes queued marked done (the pass already read every
 * row, and nothing else writes while the demo is seeded).
 */
export async function indexSeededDemo(services: IndexServices) {
  await reindexSearch(services, { fresh: true });
  await services.db.outboxEvent.updateMany({ where: { type: SEARCH_SYNC, status: "pending" }, data: { status: "done", processedAt: new Date() } });
}

/**
 * Conversations between demo members and their managers: one waiting for an
 * answer, one answered and resolved, one with a private note. Messages are
 * written as the chat module stores them (seq, clientId, rendered HTML).
 */
async function seedChats(db: Db, now: Date) {
  const user = async (email: string) =>
    db.user.findUniqueOrThrow({ where: { email }, select: { id: true, accountManagerId: true } });
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const scripts: { member: string; status: "open" | "resolved"; lines: { from: "member" | "manager" | "note"; body: string; at: number }[] }[] = [
    {
      member: "member1@rapport.local",
      status: "open",
      lines: [
        { from: "member", body: "Chị ơi, hóa đơn tháng trước em chưa nhận được.", at: 20_000 },
        { from: "manager", body: "Dạ em gửi lại ngay ạ, anh kiểm tra hộp thư giúp em nhé.", at: 19_992 },
        { from: "member", body: "Shop có bán lẻ hộp quà Tết không chị?", at: 9_000 },
        { from: "manager", body: "Có ạ, em gửi anh danh mục hộp quà trong hôm nay.", at: 8_995 },
        { from: "member", body: "Chào chị, đơn hàng tuần sau có giao được buổi sáng không ạ?", at: 180 },
        { from: "manager", body: "Chào anh Châu, được ạ. Em đã ghi **buổi sáng** vào sở thích giao hàng của anh.", at: 170 },
        { from: "member", body: "Cảm ơn chị! Cho em hỏi thêm về hóa đơn điện tử nữa.", at: 25 },
      ],
    },
    {
      member: "member2@rapport.local",
      status: "resolved",
      lines: [
        { from: "member", body: "Hello, is the spring catalogue out yet?", at: 25_000 },
        { from: "manager", body: "Not yet, Emily: it comes out on Monday and I will send it to you first.", at: 24_970 },
        { from: "member", body: "Can I change my delivery address for next week?", at: 12_000 },
        { from: "manager", body: "Done: next week's delivery goes to your office address.", at: 11_980 },
        { from: "member", body: "Hi! Could you send the invoice for order #4821 again?", at: 2_900 },
        { from: "manager", body: "Of course, Emily. I have just re-sent it to your billing address.", at: 2_880 },
        { from: "member", body: "Got it, thanks!", at: 2_870 },
      ],
    },
    {
      member: "member3@rapport.local",
      status: "open",
      lines: [
        { from: "member", body: "Cho mình hỏi lịch nghỉ lễ của cửa hàng?", at: 30_000 },
        { from: "manager", body: "Dạ cửa hàng nghỉ từ 30/4 đến hết 1/5 ạ.", at: 29_940 },
        { from: "member", body: "Đơn hàng của mình đang ở đâu rồi?", at: 15_000 },
        { from: "manager", body: "Dạ đơn đang được giao, dự kiến chiều nay tới ạ.", at: 14_955 },
        { from: "member", body: "Mình muốn đổi cách đóng gói sang **không dùng nhựa**.", at: 600 },
        { from: "note", body: "Khách quan tâm bao bì xanh: gợi ý gói quà bằng giấy kraft khi có dịp.", at: 590 },
        { from: "manager", body: "Dạ em cập nhật rồi ạ, từ đơn sau sẽ đóng gói bằng giấy.", at: 585 },
      ],
    },
  ];
  for (const script of scripts) {
    const member = await user(script.member);
    if (!member.accountManagerId) continue;
    const conversationId = `demo-chat-${member.id}`;
    const last = script.lines.filter((l) => l.from !== "note").at(-1)!;
    const waiting = script.status === "open" && last.from === "member";
    await db.conversation.create({
      data: {
        id: conversationId, memberId: member.id, status: script.status, lastSeq: script.lines.length,
        lastMessageAt: ago(last.at), waitingSince: waiting ? ago(last.at) : null,
        resolvedAt: script.status === "resolved" ? ago(last.at - 5) : null,
        resolvedById: script.status === "resolved" ? member.accountManagerId : null, createdAt: ago(script.lines[0]!.at),
      },
    });
    let waitingFrom: number | null = null;
    for (const [i, line] of script.lines.entries()) {
      const rendered = renderMarkdown(line.body, "chat");
      // As sendMessage records it: the wait a manager's reply ended ("usually replies within").
      if (line.from === "member") waitingFrom ??= line.at;
      const responseSeconds = line.from === "manager" && waitingFrom !== null ? (waitingFrom - line.at) * 60 : null;
      if (line.from === "manager") waitingFrom = null;
      await db.chatMessage.create({
        data: {
          id: `${conversationId}-${i + 1}`, conversationId, seq: i + 1,
          senderId: line.from === "member" ? member.id : member.accountManagerId, clientId: `seed-${conversationId}-${i + 1}`,
          kind: line.from === "note" ? "note" : "message", body: line.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion,
          responseSeconds, createdAt: ago(line.at),
        },
      });
    }
    // Both sides have read up to the last answer; a waiting member's question is unread.
    const readUpTo = waiting ? script.lines.length - 1 : script.lines.length;
    await db.chatRead.createMany({
      data: [
        { conversationId, userId: member.id, lastReadSeq: script.lines.length, readAt: ago(last.at) },
        { conversationId, userId: member.accountManagerId, lastReadSeq: readUpTo, readAt: ago(last.at) },
      ],
    });
    await addTouchpoint(db, {
      memberId: member.id, kind: "chat.session", actorId: null, subject: { type: "conversation", id: conversationId },
      data: { messages: script.lines.filter((l) => l.from !== "note").length, minutes: "10" }, at: ago(last.at),
    });
  }
}

/**
 * Cover and canned replies: Mai is backed up by Bảo, James by any staff on
 * duty; a few shared answers and one of Mai's own.
 */
async function seedChatTeam(db: Db, staffIds: string[]) {
  const [mai, james, bao] = staffIds as [string, string, string];
  await db.staffCoverage.createMany({ data: [{ managerId: mai, backupId: bao }, { managerId: james, backupId: null }] });
  const replies = [
    { ownerId: null, title: "Chào hỏi", body: "Chào {{member.firstName}}, em là {{agent.firstName}}, người quản lý tài khoản của anh/chị. Em có thể giúp gì ạ?" },
    { ownerId: null, title: "Greeting", body: "Hi {{member.firstName}}, this is {{agent.firstName}}, your account manager. How can I help?" },
    { ownerId: null, title: "Gửi lại hóa đơn / Invoice re-sent", body: "Em vừa gửi lại hóa đơn tới email của {{member.name}} / I have just re-sent the invoice to your billing address, {{member.firstName}}." },
    { ownerId: null, title: "Kết thúc / Closing", body: "Cảm ơn {{member.firstName}}! Nếu cần thêm gì, anh/chị cứ nhắn em nhé. / Thanks, {{member.firstName}}! Write any time." },
    { ownerId: mai, title: "Giao buổi sáng", body: "Dạ {{member.firstName}}, em đã ghi **giao buổi sáng** vào sở thích giao hàng của mình ạ." },
  ];
  for (const [i, reply] of replies.entries()) await db.cannedReply.create({ data: { id: `demo-canned-${i + 1}`, ...reply } });
}

/** A category only staff and admins read: members, moderators and visitors get a 404 and never find it in search. */
async function seedStaffLounge(db: Db, id: (email: string) => Promise<string>, ago: (hours: number) => Date) {
  const lounge = await createCategory(db, {
    slug: "staff-lounge", nameVi: "Phòng nhân viên", nameEn: "Staff lounge", color: "#3d4f5c", postingRole: "staff", readRole: "staff",
    descriptionVi: "Trao đổi nội bộ của đội ngũ, thành viên không xem được.", descriptionEn: "The team's own corner; members cannot see it.",
  });
  await createThread(db, {
    categoryId: lounge.id, authorId: await id("staff2@rapport.local"), at: ago(30),
    title: "Lịch trực chat dịp Tết / Chat rota over Tết",
    body: "Mình đề xuất chia ca trực chat trong 5 ngày Tết, mỗi người hai ca sáng.\n\n*Proposed: two morning shifts each over the five days of Tết. Swap freely, just say so here.*",
    replies: [
      { authorId: await id("staff1@rapport.local"), at: ago(28), body: "Mình nhận mùng 1 và mùng 2. *I take days one and two.*" },
      { authorId: await id("admin@rapport.local"), at: ago(26), body: "Cảm ơn cả nhà. Nhớ bật **tạm vắng** khi hết ca để người trực thay trả lời. *Mark yourself away after your shift.*" },
    ],
  });
  await createThread(db, {
    categoryId: lounge.id, authorId: await id("staff3@rapport.local"), at: ago(12),
    title: "Câu trả lời mẫu về hóa đơn điện tử / A canned reply for e-invoice questions",
    body: "Tuần này có nhiều câu hỏi về **hóa đơn điện tử**. Mình sẽ thêm một câu trả lời mẫu song ngữ, mọi người góp ý nhé.\n\n*Many e-invoice questions this week: I'll add a bilingual canned reply, comments welcome.*",
  });
}

async function seedForums(db: Db, now: Date) {
  const id = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  const ago = (hours: number) => new Date(now.getTime() - hours * 60 * 60_000);
  const announcements = await createCategory(db, {
    slug: "announcements", nameVi: "Thông báo", nameEn: "Announcements", color: "#8a3b12", postingRole: "staff",
    descriptionVi: "Tin tức chính thức từ đội ngũ Rapport.", descriptionEn: "Official news from the Rapport team.",
  });
  const help = await createCategory(db, {
    slug: "help", nameVi: "Hỏi đáp & hỗ trợ", nameEn: "Questions & help", color: "#1f5fa8",
    descriptionVi: "Đặt câu hỏi, cộng đồng và nhân viên sẽ trả lời.", descriptionEn: "Ask a question; members and staff answer.",
  });
  const products = await createCategory(db, {
    slug: "products", nameVi: "Sản phẩm", nameEn: "Products", color: "#0f5c4d",
    descriptionVi: "Kinh nghiệm dùng sản phẩm, mẹo và so sánh.", descriptionEn: "Using our products: tips, experiences, comparisons.",
  });
  const general = await createCategory(db, {
    slug: "general", nameVi: "Trò chuyện chung", nameEn: "General", color: "#6b4fa3",
    descriptionVi: "Mọi chủ đề khác, thân thiện và lịch sự.", descriptionEn: "Everything else, friendly and civil.",
  });
  await createThread(db, {
    categoryId: announcements.id, authorId: await id("staff1@rapport.local"), at: ago(240),
    title: "Chào mừng đến với cộng đồng Rapport!",
    body: "Xin chào mọi người 👋\n\nĐây là nơi bạn **hỏi đáp**, chia sẻ kinh nghiệm và góp ý cho sản phẩm. Hãy đọc [hướng dẫn cộng đồng](/community) trước khi đăng bài nhé.\n\n*Welcome, English speakers too: write in the language you prefer.*",
  });
  const feedback = await createCategory(db, {
    slug: "feedback", nameVi: "Góp ý về cổng thông tin", nameEn: "Portal feedback", color: "#7a5a00",
    descriptionVi: "Điều gì chưa ổn, điều gì bạn muốn có thêm.", descriptionEn: "What does not work yet, and what you would like.",
  });
  const people = await Promise.all(Array.from({ length: 12 }, (_, i) => id(`member${i + 1}@rapport.local`)));
  const LINES = [
    "Mình cũng gặp tình trạng này, cảm ơn bạn đã hỏi.",
    "Same here. The **search** could be faster on mobile.",
    "Đề xuất: thêm chế độ tối cho ứng dụng di động.",
    "I'd love a way to export my order history as CSV.",
    "Ủng hộ ý kiến trên! 👍",
    "Works fine for me on Firefox, maybe a cache issue?",
  ];
  // A long thread: it is paginated, and `npm run bench` renders its first page.
  await createThread(db, {
    id: "demo-long-thread",
    categoryId: feedback.id, authorId: await id("member6@rapport.local"), at: ago(200),
    title: "Góp ý chung về cổng thông tin / General portal feedback",
    body: "Hãy để lại mọi góp ý ở đây. *Leave any feedback here, in either language.*",
    replies: Array.from({ length: 60 }, (_, i) => ({
      authorId: people[i % people.length]!,
      body: `${LINES[i % LINES.length]} (#${i + 1})`,
      at: ago(199 - i * 3),
    })),
  });
  const solved = await createThread(db, {
    categoryId: help.id, authorId: await id("member12@rapport.local"), at: ago(100),
    title: "Hóa đơn điện tử có gửi kèm mỗi đơn hàng không?",
    body: "Công ty mình cần **hóa đơn điện tử** cho từng đơn. Có tự động không ạ?",
    replies: [
      { authorId: await id("staff3@rapport.local"), at: ago(98), body: "Có ạ. Bạn chọn *Hóa đơn điện tử* trong hồ sơ, mỗi đơn sẽ có hóa đơn gửi qua email." },
      { authorId: await id("member12@rapport.local"), at: ago(97), body: "Cảm ơn, mình đã chọn rồi!" },
    ],
  });
  await db.forumThread.update({ where: { id: solved.threadId }, data: { solvedPostId: solved.postIds[1]! } });
  const flagged = await createThread(db, {
    categoryId: general.id, authorId: await id("member20@rapport.local"), at: ago(10),
    title: "Ưu đãi hấp dẫn, nhắn tin cho mình!",
    body: "Mua đồng hồ giá rẻ, liên hệ ngay http://spam.example 💰💰💰",
  });
  await seedStaffLounge(db, id, ago);
  await seedFormerMember(db, products.id, id, ago);
  await db.forumFlag.create({
    data: { id: `flag-${flagged.postIds[0]}`, postId: flagged.postIds[0]!, reporterId: await id("member9@rapport.local"), reason: "spam", note: "Quảng cáo", createdAt: ago(9) },
  });
  for (const thread of conversations({ help, products, general })) {
    await createThread(db, {
      categoryId: thread.category.id, authorId: await id(thread.author), at: ago(thread.hoursAgo), title: thread.title, body: thread.body,
      replies: await Promise.all((thread.replies ?? []).map(async (r) => ({ authorId: await id(r.author), at: ago(r.hoursAgo), body: r.body }))),
    });
  }
}

/**
 * A member who deleted their account (ADR 013), as deletion leaves them: their thread stays under
 * "Former member", the photo they showed in it is erased (a "removed" picture), and a reply that
 * quoted and mentioned them names the placeholder, which reads "Former member" with no link.
 */
async function seedFormerMember(db: Db, categoryId: string, id: (email: string) => Promise<string>, ago: (hours: number) => Date) {
  const placeholder = "deleted_5d1f0c9a7e32";
  const former = await createUser(db, { passwordHash: "erased", createdAt: ago(2_000) });
  await db.user.update({
    where: { id: former.id },
    data: { email: `${placeholder}@deleted.invalid`, displayName: "", username: placeholder, passwordHash: null, emailVerifiedAt: null, deletedAt: ago(20) },
  });
  await createThread(db, {
    categoryId, authorId: former.id, at: ago(300),
    title: "Áo mưa dùng hai năm vẫn như mới",
    body: "Áo mưa của mình sau hai mùa mưa, đường may vẫn chắc:\n\n![Áo mưa sau hai năm](/uploads/avatars/deleted-5d1f0c9a7e32.webp)",
    replies: [
      { authorId: await id("member3@rapport.local"), at: ago(290), body: `> **@${placeholder}:** Áo mưa của mình sau hai mùa mưa, đường may vẫn chắc.\n\nCảm ơn @${placeholder}, mình sẽ mua thử!` },
    ],
  });
}

interface SeedThread {
  category: { id: string };
  author: string;
  hoursAgo: number;
  title: string;
  body: string;
  replies?: { author: string; hoursAgo: number; body: string }[];
}

/** Everyday threads, in both languages; the words people search for ("khach hang", "bao hanh", "warranty", "delivery") have something to find. */
function conversations(c: { help: { id: string }; products: { id: string }; general: { id: string } }): SeedThread[] {
  return [
    {
      category: c.help, author: "member1@rapport.local", hoursAgo: 72,
      title: "Làm sao để đổi khung giờ giao hàng?",
      body: "Mình muốn nhận hàng vào **buổi sáng** thay vì buổi chiều. Có cần gọi cho người quản lý tài khoản không?",
      replies: [
        { author: "member4@rapport.local", hoursAgo: 70, body: "Bạn vào *Hồ sơ → Những điều chúng tôi ghi nhớ về bạn* và chọn **Khung giờ giao hàng** là được." },
        { author: "staff1@rapport.local", hoursAgo: 68, body: "Đúng vậy. Đơn hàng kế tiếp sẽ theo khung giờ mới. Cảm ơn bạn @oliversmith!" },
      ],
    },
    {
      category: c.help, author: "member6@rapport.local", hoursAgo: 30,
      title: "Bảo hành bình giữ nhiệt: khách hàng có cần giữ hóa đơn không?",
      body: "Nắp bình của mình bị nứt sau ba tháng. Khách hàng mua online thì **bảo hành** thế nào, có cần hóa đơn giấy không ạ?",
      replies: [
        { author: "staff2@rapport.local", hoursAgo: 28, body: "Dạ không cần hóa đơn giấy ạ. Đơn hàng online đã lưu trong tài khoản của khách hàng, bạn chỉ cần nhắn người quản lý tài khoản để em gửi nắp mới trong 12 tháng bảo hành." },
        { author: "member6@rapport.local", hoursAgo: 27, body: "Tuyệt, cảm ơn chăm sóc khách hàng nhanh quá!" },
      ],
    },
    {
      category: c.products, author: "member7@rapport.local", hoursAgo: 20,
      title: "Warranty replacement for a camping lantern: how long is delivery?",
      body: "The switch on my lantern stopped working. Support confirmed the **warranty** claim; does anyone know how long delivery of the replacement usually takes?",
      replies: [{ author: "member2@rapport.local", hoursAgo: 18, body: "Mine arrived in three days, delivered in the morning slot I had in my preferences." }],
    },
    {
      category: c.products, author: "member2@rapport.local", hoursAgo: 50,
      title: "Rain jacket after one season: an honest review",
      body: "I wore it through the whole rainy season in Saigon.\n\n- Seams held up\n- The hood is a bit small\n- Packs down well\n\nWould buy again.",
      replies: [
        { author: "member7@rapport.local", hoursAgo: 40, body: "Thanks! Did the zipper ever stick?" },
        { author: "member2@rapport.local", hoursAgo: 38, body: "Never. I rinse it with fresh water now and then." },
      ],
    },
    {
      category: c.general, author: "member3@rapport.local", hoursAgo: 20,
      title: "Quán cà phê yêu thích của bạn ở Đà Nẵng?",
      body: "Cuối tuần này mình ra Đà Nẵng công tác. Mọi người gợi ý vài quán cà phê yên tĩnh để làm việc nhé ☕",
      replies: [{ author: "member9@rapport.local", hoursAgo: 18, body: "Thử quán gần cầu Rồng, buổi sáng rất yên tĩnh." }],
    },
  ];
}
