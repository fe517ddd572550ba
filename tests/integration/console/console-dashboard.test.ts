/**
 * The staff dashboard on a scripted community: every figure asserted, for an
 * admin (everyone) and for each staff member (community figures plus their
 * own members'), with days counted in the viewer's time zone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures, loadDashboard, parseDashboardRange } from "../../../app/modules/console/dashboard.server.ts";
import { AccessDenied } from "../../../app/modules/policy/access-denied.ts";
import { newSortableId } from "../../../app/modules/ids.server.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { createIdea, createProduct, createReview, recountRatings } from "../../factories/co-creation.ts";
import { movableClock } from "../../support/clock.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const db = () => services.db;

const YEAR = new Date().getUTCFullYear() + 1;
const day = (date: number) => `${YEAR}-06-${String(date).padStart(2, "0")}`;
const at = (date: number, time = "03:00") => new Date(`${day(date)}T${time}:00Z`);
const DAY = 86_400_000;
// 12:00 on 15 June in Hanoi: the last 7 days there are 9–15 June.
const NOW = at(15, "05:00");

let admin: Person, staff1: Person, staff2: Person;
let m1: Person, m2: Person, m3: Person, m4: Person;
const ids: Record<string, string> = {};

async function chatWithWaits(memberId: string, staffId: string, waits: { seconds: number; at: Date }[]) {
  const conversationId = newSortableId();
  await db().conversation.create({ data: { id: conversationId, memberId } });
  await db().chatMessage.createMany({
    data: waits.map((w, i) => ({
      id: newSortableId(w.at), conversationId, seq: i + 1, senderId: staffId, clientId: `c-${conversationId}-${i}`,
      body: "Dạ em trả lời ạ", bodyHtml: "<p>Dạ em trả lời ạ</p>", rendererVersion: 2, responseSeconds: w.seconds, createdAt: w.at,
    })),
  });
}

async function task(memberId: string, assigneeId: string, dueOn: string, done = false) {
  await db().followUpTask.create({
    data: { id: newSortableId(), memberId, assigneeId, title: "Follow up", dueOn: new Date(`${dueOn}T00:00:00Z`), createdById: assigneeId, doneAt: done ? NOW : null },
  });
}

beforeAll(async () => {
  services.clock = movableClock(NOW);
  admin = await createAdmin(db());
  staff1 = await createStaff(db());
  staff2 = await createStaff(db());
  m1 = await createMember(db(), { accountManagerId: staff1.id });
  m2 = await createMember(db(), { accountManagerId: staff1.id });
  m3 = await createMember(db(), { accountManagerId: staff2.id });
  m4 = await createMember(db(), { accountManagerId: staff2.id });
  const gone = await createMember(db(), { accountManagerId: staff1.id });
  const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
  await db().user.update({ where: { id: m1.id }, data: { lastActivityAt: ago(2), stage: "loyal" } });
  await db().user.update({ where: { id: m2.id }, data: { lastActivityAt: ago(10), stage: "build" } });
  await db().user.update({ where: { id: m3.id }, data: { lastActivityAt: ago(40), stage: "build" } });
  await db().user.update({ where: { id: gone.id }, data: { lastActivityAt: ago(1), stage: "develop", deletedAt: ago(1) } });

  // Forums. 18:00 UTC on the 10th is already the 11th in Hanoi.
  const category = await createCategory(db());
  const thread = (authorId: string, title: string, when: Date, replies: { authorId: string; at: Date }[] = []) =>
    createThread(db(), { categoryId: category.id, authorId, title, body: `${title}?`, at: when, replies: replies.map((r) => ({ ...r, body: "Trả lời" })) });
  await thread(m1.id, "Answered", at(10, "03:00"), [{ authorId: m2.id, at: at(10, "04:00") }]);
  const selfOnly = await thread(m2.id, "Only the author replied", at(10, "18:00"), [{ authorId: m2.id, at: at(10, "19:00") }]);
  const hiddenOnly = await thread(m3.id, "Only a hidden reply", at(10, "20:00"), [{ authorId: m1.id, at: at(10, "21:00") }]);
  await db().forumPost.update({ where: { id: hiddenOnly.postIds[1] }, data: { hiddenAt: at(10, "22:00") } });
  await thread(m4.id, "Before the range", at(1), []);
  const deleted = await thread(m4.id, "Deleted", at(12), []);
  await db().forumThread.update({ where: { id: deleted.threadId }, data: { deletedAt: at(12, "04:00") } });
  ids.selfOnly = selfOnly.threadId;
  ids.hiddenOnly = hiddenOnly.threadId;

  // Chat waits ended by staff replies: staff1's members 60 s, 120 s, 600 s; staff2's 30 s, 3000 s; one before the range.
  await chatWithWaits(m1.id, staff1.id, [{ seconds: 60, at: at(11) }, { seconds: 120, at: at(12) }, { seconds: 600, at: at(13) }, { seconds: 9999, at: at(2) }]);
  await chatWithWaits(m3.id, staff2.id, [{ seconds: 30, at: at(11) }, { seconds: 3000, at: at(14) }]);

  // Ideas: in the range one open and two planned; one done before it; one deleted.
  await createIdea(db(), { authorId: m1.id, title: "Hộp quà bằng giấy", body: "…", at: at(11) });
  await createIdea(db(), { authorId: m2.id, title: "Dark mode for invoices", body: "…", at: at(12), history: [{ to: "planned", by: admin.id, at: at(13) }] });
  await createIdea(db(), { authorId: m3.id, title: "Giao hàng buổi tối", body: "…", at: at(13), history: [{ to: "planned", by: admin.id, at: at(14) }] });
  await createIdea(db(), { authorId: m3.id, title: "Old idea", body: "…", at: at(2), history: [{ to: "done", by: admin.id, at: at(3) }] });
  const removed = await createIdea(db(), { authorId: m4.id, title: "Removed", body: "…", at: at(12) });
  await db().idea.update({ where: { id: removed }, data: { deletedAt: at(12, "05:00") } });

  // Products: 4.5 from two reviews, 3 from one, and one without reviews.
  const kettle = await createProduct(db(), { nameVi: "Ấm pha trà", nameEn: "Tea kettle" });
  const jacket = await createProduct(db(), { nameVi: "Áo mưa", nameEn: "Rain jacket" });
  await createProduct(db(), { nameVi: "Chưa ai đánh giá", nameEn: "Unreviewed" });
  for (const [product, authorId, rating] of [[kettle, m1.id, 5], [kettle, m2.id, 4], [jacket, m3.id, 3]] as const) {
    await createReview(db(), { productId: product.id, product, authorId, rating, title: "Review", body: "…", at: at(12) });
  }
  await recountRatings(db(), kettle.id);
  await recountRatings(db(), jacket.id);
  ids.kettle = kettle.id;
  ids.jacket = jacket.id;

  // Tasks, with "today" the 15th: overdue ones on the 14th and 13th; one done, one due today.
  await task(m1.id, staff1.id, day(14));
  await task(m3.id, staff2.id, day(13));
  await task(m3.id, staff1.id, day(14));
  await task(m1.id, staff1.id, day(13), true);
  await task(m2.id, staff1.id, day(15));
});

const seven = () => new URLSearchParams({ days: "7" });

describe("the dashboard's figures", () => {
  it("an admin sees every figure for everyone", async () => {
    const d = await loadDashboard(services, admin.actor, seven());
    expect(d.scope).toBe("all");
    expect(d.range).toEqual({ from: day(9), to: day(15), days: 7, preset: 7 });
    expect(d.errors).toEqual({});
    expect(d.activeMembers).toEqual({ last7: 1, last30: 2, total: 4 });
    expect(d.forumByDay).toHaveLength(7);
    expect(d.forumByDay.filter((row) => row.threads || row.replies)).toEqual([
      { day: day(10), threads: 1, replies: 1 },
      { day: day(11), threads: 2, replies: 1 },
    ]);
    expect(d.unanswered).toMatchObject({ count: 2, oldest: [{ id: ids.selfOnly }, { id: ids.hiddenOnly }] });
    // Five waits: the median is 120 s; the 90th percentile interpolates 600 → 3000 at 0.6.
    expect(d.chatResponse).toEqual({ median: 120, p90: 2040, replies: 5 });
    expect(d.ideasByStatus.filter((row) => row.count)).toEqual([
      { status: "open", count: 1 },
      { status: "planned", count: 2 },
    ]);
    expect(d.ideasByStatus.map((row) => row.status)).toEqual(["open", "under_review", "planned", "in_progress", "done", "declined", "duplicate"]);
    expect(d.ratings.map((p) => [p.productId, p.average, p.reviewCount])).toEqual([
      [ids.kettle, 4.5, 2],
      [ids.jacket, 3, 1],
    ]);
    expect(d.stages).toEqual([
      { stage: "attract", count: 1 },
      { stage: "establish", count: 0 },
      { stage: "build", count: 2 },
      { stage: "develop", count: 0 },
      { stage: "maintain", count: 0 },
      { stage: "strengthen", count: 0 },
      { stage: "loyal", count: 1 },
    ]);
    expect(d.overdueTasks).toEqual({
      total: 3,
      byAssignee: [
        { id: staff1.id, displayName: staff1.displayName, count: 2 },
        { id: staff2.id, displayName: staff2.displayName, count: 1 },
      ],
    });
  });

  it("staff see the community figures and their own members' figures only", async () => {
    const mine = await loadDashboard(services, staff1.actor, seven());
    const all = await loadDashboard(services, admin.actor, seven());
    expect(mine.scope).toBe("mine");
    // Community-wide: the same as the admin's.
    expect([mine.forumByDay, mine.unanswered, mine.ideasByStatus, mine.ratings]).toEqual([all.forumByDay, all.unanswered, all.ideasByStatus, all.ratings]);
    // Their members: m1 and m2.
    expect(mine.activeMembers).toEqual({ last7: 1, last30: 2, total: 2 });
    expect(mine.chatResponse).toEqual({ median: 120, p90: 504, replies: 3 });
    expect(mine.stages.filter((row) => row.count)).toEqual([
      { stage: "build", count: 1 },
      { stage: "loyal", count: 1 },
    ]);
    // About their members or assigned to them.
    expect(mine.overdueTasks).toEqual({ total: 2, byAssignee: [{ id: staff1.id, displayName: staff1.displayName, count: 2 }] });

    const other = await loadDashboard(services, staff2.actor, seven());
    expect(other.activeMembers).toEqual({ last7: 0, last30: 0, total: 2 });
    expect(other.chatResponse).toEqual({ median: 1515, p90: 2703, replies: 2 });
    expect(other.overdueTasks.total).toBe(2);
  });

  it("reads days in the viewer's time zone: in London the late posts of the 10th stay on the 10th", async () => {
    await db().user.update({ where: { id: staff2.id }, data: { timezone: "Europe/London" } });
    const d = await loadDashboard(services, staff2.actor, seven());
    expect(d.timeZone).toBe("Europe/London");
    expect(d.forumByDay.filter((row) => row.threads || row.replies)).toEqual([{ day: day(10), threads: 3, replies: 2 }]);
    await db().user.update({ where: { id: staff2.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
  });

  it("a custom range counts only its days; members never see the dashboard", async () => {
    const d = await loadDashboard(services, admin.actor, new URLSearchParams({ from: day(11), to: day(12) }));
    expect(d.range).toEqual({ from: day(11), to: day(12), days: 2, preset: null });
    expect(d.forumByDay).toEqual([
      { day: day(11), threads: 2, replies: 1 },
      { day: day(12), threads: 0, replies: 0 },
    ]);
    expect(d.chatResponse).toEqual({ median: 60, p90: 108, replies: 3 });
    await expect(dashboardFigures(services, m1.actor, d.range)).rejects.toBeInstanceOf(AccessDenied);
  });
});

describe("the date range", () => {
  const today = day(15);
  const parse = (params: Record<string, string>) => parseDashboardRange(new URLSearchParams(params), today);

  it("offers 7, 30 and 90 days and falls back to 30 for anything else", () => {
    expect(parse({ days: "90" }).range).toEqual({ from: `${YEAR}-03-18`, to: today, days: 90, preset: 90 });
    expect(parse({ days: "12" }).range.preset).toBe(30);
    expect(parse({}).range).toEqual({ from: `${YEAR}-05-17`, to: today, days: 30, preset: 30 });
  });

  it("refuses a custom range that is not real, reversed, in the future or longer than a year, keeping what was typed", () => {
    expect(parse({ from: `${YEAR}-02-30`, to: today })).toMatchObject({ errors: { from: "dashboard.error.dateInvalid" }, typed: { from: `${YEAR}-02-30`, to: today }, range: { preset: 30 } });
    expect(parse({ from: day(14), to: day(12) }).errors).toEqual({ to: "dashboard.error.toBeforeFrom" });
    expect(parse({ from: day(14), to: day(16) }).errors).toEqual({ to: "dashboard.error.toFuture" });
    expect(parse({ from: `${YEAR - 2}-06-01`, to: today }).errors).toEqual({ to: "dashboard.error.tooLong" });
    expect(parse({ from: day(14) }).errors).toEqual({ to: "dashboard.error.toRequired" });
    expect(parse({ to: day(14) }).errors).toEqual({ from: "dashboard.error.fromRequired" });
  });
});
