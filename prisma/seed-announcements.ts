/**
 * Demo announcements (issue 18): a segment of newsletter readers, two announcements already sent
 * to it (some members opened theirs) and one scheduled for the day after tomorrow, 9:00 Hanoi.
 */
import type { Db } from "../app/modules/services.server.ts";
import { newSortableId } from "../app/modules/ids.server.ts";
import { createScheduledAnnouncement, createSentAnnouncement } from "../tests/factories/outreach.ts";

const DAY = 86_400_000;

export async function seedAnnouncements(db: Db, now: Date) {
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true } });
  const segmentId = newSortableId(now);
  await db.segment.create({
    data: {
      id: segmentId,
      name: "Newsletter readers",
      description: "Members who agreed to the newsletter",
      definition: { match: "and", groups: [{ match: "and", conditions: [{ field: "consent", channel: "newsletter", granted: true }] }] },
      createdById: admin.id,
      createdAt: new Date(now.getTime() - 40 * DAY),
      updatedAt: new Date(now.getTime() - 40 * DAY),
    },
  });
  const members = await db.user.findMany({
    where: { deletedAt: null, role: { in: ["member", "moderator"] } },
    orderBy: { email: "asc" },
    select: { id: true, consentState: { where: { channel: "newsletter" }, select: { granted: true } } },
  });
  const audience = members.map((m) => ({ id: m.id, consented: m.consentState[0]?.granted ?? false }));
  const readers = audience.filter((m) => m.consented).map((m) => m.id);
  const sent = [
    {
      daysAgo: 30,
      opened: Math.ceil(readers.length / 2),
      content: {
        titleVi: "Bản tin tháng: mùa cà phê mới",
        bodyVi: "Chào {{member.firstName}},\n\nMùa thu hoạch cà phê mới đã về. {{manager.name}} sẽ gửi bạn vài gợi ý pha phin ngon nhất.",
        titleEn: "Monthly news: the new coffee season",
        bodyEn: "Hello {{member.firstName}},\n\nThe new coffee harvest is in. {{manager.name}} will send you a few tips for the best phin brew.",
      },
    },
    {
      // Vietnamese only: English readers get it in Vietnamese.
      daysAgo: 5,
      opened: 2,
      content: {
        titleVi: "Gặp gỡ cộng đồng cuối tháng",
        bodyVi: "Chào {{member.firstName}},\n\nMời bạn tham gia buổi gặp gỡ cộng đồng cuối tháng này. Xem chi tiết trong mục **Cộng đồng**.",
        titleEn: "",
        bodyEn: "",
      },
    },
  ];
  for (const { daysAgo, opened, content } of sent) {
    const at = new Date(now.getTime() - daysAgo * DAY);
    await createSentAnnouncement(db, { segmentId, senderId: admin.id, topic: "newsletter", audience, at, openedBy: readers.slice(0, opened), content });
  }
  const inTwoDays = new Date(now.getTime() + 2 * DAY);
  const hanoiNine = new Date(`${inTwoDays.toISOString().slice(0, 10)}T02:00:00.000Z`); // 9:00 in Hanoi (UTC+7)
  await createScheduledAnnouncement(db, {
    segmentId,
    senderId: admin.id,
    topic: "newsletter",
    now,
    at: hanoiNine,
    content: {
      titleVi: "Ưu đãi dành cho thành viên thân thiết",
      bodyVi: "Chào {{member.firstName}}, cảm ơn bạn đã đồng hành cùng chúng tôi.",
      titleEn: "An offer for our loyal members",
      bodyEn: "Hello {{member.firstName}}, thank you for being with us.",
    },
  });
}
