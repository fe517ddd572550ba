/**
 * Demo data for the staff console: private notes (some pinned), follow-up
 * tasks (overdue, due today, upcoming, done), logged calls and meetings,
 * relationship stages across all seven with their history, and tags. Written
 * as the console's modules store them (rendered notes, touchpoints with the
 * same kinds and data), a table at a time so the seed stays fast.
 */
import type { Prisma } from "../app/generated/prisma/client.ts";
import type { RelationshipStage } from "../app/generated/prisma/enums.ts";
import type { Db } from "../app/modules/services.server.ts";
import { newSortableId } from "../app/modules/ids.server.ts";
import { renderMarkdown } from "../app/modules/markdown/render.server.ts";
import { recordTouchpoints, type TouchpointInput } from "../app/modules/timeline/touchpoints.server.ts";
import { addDays, calendarDay, dayToDate, usableTimeZone } from "../app/modules/console/calendar.ts";
import { taskReminderEvent } from "../app/modules/console/tasks.server.ts";
import { STAGES } from "../app/modules/console/dashboard-range.ts";

const DAY = 24 * 60 * 60_000;

/** Where each of the 30 demo members has got to: every stage is represented, most in the middle. */
const FINAL_STAGE: RelationshipStage[] = [
  "loyal", "build", "develop", "establish", "strengthen", "maintain", "attract", "develop", "build", "establish",
  "maintain", "develop", "build", "loyal", "establish", "strengthen", "develop", "attract", "build", "maintain",
  "establish", "develop", "strengthen", "build", "attract", "maintain", "develop", "establish", "build", "loyal",
];

const STAGE_REASONS: Record<RelationshipStage, string> = {
  attract: "Đăng ký sau hội chợ",
  establish: "Đã đặt đơn hàng đầu tiên",
  build: "Came back for a second order and asked about the warranty",
  develop: "Tích cực trên diễn đàn, góp ý cho mẫu áo mưa mới",
  maintain: "Orders every month; invoices settled on time",
  strengthen: "Giới thiệu hai khách hàng mới cho chúng tôi",
  loyal: "Khách hàng thân thiết hơn hai năm, tham gia thử nghiệm sản phẩm",
};

const NOTES = [
  { body: "**Prefers a call before 10:00.** Busy with the shop in the afternoon.", pinned: true },
  { body: "Hỏi về chiết khấu cho đơn hàng số lượng lớn vào quý sau. Cần gửi bảng giá sỉ.", pinned: false },
  { body: "Chị ấy rất thích bao bì không nhựa, nhớ nhắc kho hàng khi đóng gói.", pinned: true },
  { body: "Had a delivery problem in March (wrong size). Resolved, but follow up gently.", pinned: false },
  { body: "Gia đình có hai con nhỏ; quan tâm đến đồ dã ngoại an toàn cho trẻ em.", pinned: false },
];

const INTERACTIONS: { channel: "call" | "meeting" | "email" | "visit"; summary: string }[] = [
  { channel: "call", summary: "Gọi hỏi thăm sau đơn hàng gần nhất. Anh ấy hài lòng với bình giữ nhiệt, muốn đặt thêm năm chiếc làm quà tặng khách hàng cuối năm." },
  { channel: "meeting", summary: "Quarterly review at their office: went through last quarter's orders, agreed on a monthly invoice and a shared delivery calendar." },
  { channel: "email", summary: "Sent the wholesale price list and the care guide for the merino sweater." },
  { channel: "visit", summary: "Ghé cửa hàng ở Hội An, xem cách trưng bày sản phẩm; chủ cửa hàng đề xuất thêm màu be cho áo mưa." },
  { channel: "call", summary: "Called about the delayed parcel; courier confirmed delivery for Thursday morning." },
];

const TASKS = [
  "Gọi lại về đơn hàng quà tặng cuối năm",
  "Send the wholesale price list",
  "Hỏi cảm nhận sau hai tuần dùng sản phẩm",
  "Book the quarterly review",
  "Gửi mẫu vải màu be",
  "Check the warranty claim is closed",
];

/** Days from today: negative is overdue. Some are done. */
const TASK_PLAN: { offset: number; done?: boolean }[] = [
  { offset: -3 }, { offset: 0 }, { offset: 2 }, { offset: -6, done: true }, { offset: 7 }, { offset: -1 }, { offset: 0, done: true }, { offset: 14 },
];

const TAGS: [number, string][] = [
  [0, "vip"], [13, "vip"], [29, "vip"], [3, "wholesale"], [10, "wholesale"], [19, "wholesale"], [25, "wholesale"],
  [1, "newsletter-fan"], [6, "newsletter-fan"], [8, "newsletter-fan"], [16, "newsletter-fan"], [22, "newsletter-fan"],
];

export async function seedConsole(db: Db, now: Date) {
  const people = await db.user.findMany({
    where: { email: { endsWith: "@rapport.local" } },
    select: { id: true, email: true, displayName: true, accountManagerId: true, createdAt: true, timezone: true },
  });
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const admin = byEmail.get("admin@rapport.local");
  const members = Array.from({ length: 30 }, (_, i) => byEmail.get(`member${i + 1}@rapport.local`)).filter((m) => m !== undefined);
  const byId = new Map(people.map((p) => [p.id, p]));
  const ago = (days: number, hour = 3) => new Date(now.getTime() - days * DAY + hour * 60 * 60_000 - 3 * 60 * 60_000);

  const notes: Prisma.StaffNoteCreateManyInput[] = [];
  const interactions: Prisma.InteractionCreateManyInput[] = [];
  const stageChanges: Prisma.StageChangeCreateManyInput[] = [];
  const tasks: Prisma.FollowUpTaskCreateManyInput[] = [];
  const reminders: Prisma.OutboxEventCreateManyInput[] = [];
  const touchpoints: TouchpointInput[] = [];
  const stageOf = new Map<RelationshipStage, string[]>();

  for (const [i, member] of members.entries()) {
    const managerId = member.accountManagerId ?? admin?.id ?? null;
    const manager = managerId ? byId.get(managerId) : undefined;

    // Stages: one step at a time from "attract" to where they are now, spread over their membership.
    const final = FINAL_STAGE[i % FINAL_STAGE.length]!;
    const steps = STAGES.indexOf(final);
    const span = Math.max(now.getTime() - member.createdAt.getTime(), DAY);
    for (let step = 1; step <= steps; step++) {
      const at = new Date(member.createdAt.getTime() + (span * step) / (steps + 1));
      const id = newSortableId(at);
      const from = STAGES[step - 1]!;
      const to = STAGES[step]!;
      stageChanges.push({ id, memberId: member.id, fromStage: from, toStage: to, reason: STAGE_REASONS[to], actorId: managerId, createdAt: at });
      touchpoints.push({ memberId: member.id, kind: "stage.changed", actorId: managerId, data: { from, to, reason: STAGE_REASONS[to].slice(0, 140) }, at });
    }
    stageOf.set(final, [...(stageOf.get(final) ?? []), member.id]);

    // Notes: one or two each, from their manager.
    for (let n = 0; n < 1 + (i % 2); n++) {
      const note = NOTES[(i + n * 2) % NOTES.length]!;
      const at = ago(5 + ((i * 7 + n * 13) % 80));
      const id = newSortableId(at);
      const rendered = renderMarkdown(note.body, "full");
      notes.push({ id, memberId: member.id, authorId: managerId, body: note.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, pinned: note.pinned && n === 0, createdAt: at, updatedAt: at });
      touchpoints.push({ memberId: member.id, kind: "staff.note_added", actorId: managerId, subject: { type: "staff_note", id }, data: { excerpt: note.body.slice(0, 140) }, at });
    }

    // Logged calls, meetings, emails and visits: none to three each.
    for (let n = 0; n < i % 4; n++) {
      const interaction = INTERACTIONS[(i + n) % INTERACTIONS.length]!;
      const at = ago(1 + ((i * 5 + n * 11) % 60), 9 + n);
      const id = newSortableId(at);
      interactions.push({ id, memberId: member.id, staffId: managerId, channel: interaction.channel, summary: interaction.summary, occurredAt: at, createdAt: at });
      touchpoints.push({ memberId: member.id, kind: "interaction.logged", actorId: managerId, subject: { type: "interaction", id }, data: { channel: interaction.channel, summary: interaction.summary.slice(0, 140) }, at });
    }

    // Follow-up tasks for two members in three, due around today where the assignee is.
    if (i % 3 === 2 || !manager) continue;
    const timeZone = usableTimeZone(manager.timezone);
    const today = calendarDay(now, timeZone);
    for (let n = 0; n < 2; n++) {
      const plan = TASK_PLAN[(i + n * 3) % TASK_PLAN.length]!;
      const title = TASKS[(i + n) % TASKS.length]!;
      const dueOn = addDays(today, plan.offset);
      const createdAt = ago(10 + n);
      const id = newSortableId(createdAt);
      const doneAt = plan.done ? ago(Math.max(-plan.offset, 0) + 0.5) : null;
      tasks.push({ id, memberId: member.id, title, dueOn: dayToDate(dueOn), assigneeId: manager.id, createdById: manager.id, doneAt, doneById: doneAt ? manager.id : null, createdAt });
      touchpoints.push({ memberId: member.id, kind: "task.created", actorId: manager.id, subject: { type: "task", id }, data: { title, dueOn, assignee: manager.displayName }, at: createdAt });
      if (doneAt) {
        touchpoints.push({ memberId: member.id, kind: "task.completed", actorId: manager.id, subject: { type: "task", id }, data: { title, dueOn }, at: doneAt });
        continue;
      }
      const reminder = taskReminderEvent({ id, dueOn, assigneeId: manager.id }, timeZone, now);
      if (reminder) reminders.push({ type: reminder.type, payload: reminder.payload, availableAt: reminder.availableAt });
    }
  }

  // The admin follows up on two accounts too, so their "My tasks" is not empty.
  if (admin) {
    const timeZone = usableTimeZone(admin.timezone);
    const today = calendarDay(now, timeZone);
    for (const [n, plan] of [{ offset: -2, title: "Duyệt hợp đồng đại lý" }, { offset: 5, title: "Review the wholesale contract" }].entries()) {
      const member = members[(n * 7 + 3) % members.length];
      if (!member) continue;
      const dueOn = addDays(today, plan.offset);
      const createdAt = ago(8);
      const id = newSortableId(createdAt);
      tasks.push({ id, memberId: member.id, title: plan.title, dueOn: dayToDate(dueOn), assigneeId: admin.id, createdById: admin.id, createdAt });
      touchpoints.push({ memberId: member.id, kind: "task.created", actorId: admin.id, subject: { type: "task", id }, data: { title: plan.title, dueOn, assignee: admin.displayName }, at: createdAt });
      const reminder = taskReminderEvent({ id, dueOn, assigneeId: admin.id }, timeZone, now);
      if (reminder) reminders.push({ type: reminder.type, payload: reminder.payload, availableAt: reminder.availableAt });
    }
  }

  await db.staffNote.createMany({ data: notes });
  await db.interaction.createMany({ data: interactions });
  await db.stageChange.createMany({ data: stageChanges });
  await db.followUpTask.createMany({ data: tasks });
  await db.outboxEvent.createMany({ data: reminders });
  await db.memberTag.createMany({
    data: TAGS.filter(([i]) => members[i]).map(([i, tag]) => ({ memberId: members[i]!.id, tag, createdAt: ago(30 + i) })),
    skipDuplicates: true,
  });
  for (const [stage, ids] of stageOf) await db.user.updateMany({ where: { id: { in: ids } }, data: { stage } });
  await recordTouchpoints(db as never, touchpoints);
}
