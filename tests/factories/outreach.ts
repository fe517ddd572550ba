/**
 * Segments and announcements as the staff console makes them, through the commands: shared by
 * the announcement tests and the demo data.
 */
import type { Db, Services } from "../../app/modules/services.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import { ANNOUNCEMENT_START, renderForMember, type Content } from "../../app/modules/announcements/render.server.ts";
import { addTouchpoint } from "./relationship.ts";
import type { Actor } from "../../app/modules/policy/actor.ts";
import type { SegmentDefinition } from "../../app/modules/segments/definition.ts";
import { createSegment } from "../../app/modules/segments/segments.server.ts";
import { createAnnouncement } from "../../app/modules/announcements/announcements.server.ts";

/** Every member in both languages: the widest segment, cut to the viewer's scope when used. */
export const EVERYONE: SegmentDefinition = { match: "and", groups: [{ match: "and", conditions: [{ field: "language", values: ["vi", "en"] }] }] };

export async function saveSegment(services: Services, actor: Actor, input: { name: string; definition?: SegmentDefinition }) {
  const saved = await createSegment(services, actor, { name: input.name, definition: input.definition ?? EVERYONE });
  if (!saved.ok) throw new Error(`segment not saved: ${JSON.stringify(saved)}`);
  return saved.id;
}

export async function draftAnnouncement(
  services: Services,
  actor: Actor,
  input: { segmentId: string; topic?: string; channels?: string[]; titleVi?: string; titleEn?: string; bodyVi?: string; bodyEn?: string },
) {
  const created = await createAnnouncement(services, actor, {
    topic: "newsletter",
    channels: ["in_app", "email"],
    titleVi: "Tin tháng này",
    bodyVi: "Chào {{member.firstName}}, đây là tin của {{manager.name}}.",
    titleEn: "This month's news",
    bodyEn: "Hello {{member.firstName}}, news from {{manager.name}}.",
    ...input,
  });
  if (!created.ok) throw new Error(`announcement not created: ${JSON.stringify(created)}`);
  return created.id;
}

/**
 * An announcement as it stands once sent, written directly (the demo data has no outbox running):
 * a delivery per member of the audience, sent to those who consented (bell notice, touchpoint),
 * excluded for the others.
 */
export async function createSentAnnouncement(
  db: Db,
  input: { segmentId: string; senderId: string; topic: string; content: Content; audience: { id: string; consented: boolean }[]; at: Date; openedBy?: string[] },
) {
  const id = newSortableId(input.at);
  const sent = input.audience.filter((m) => m.consented);
  await db.announcement.create({
    data: {
      id,
      ...input.content,
      topic: input.topic,
      inApp: true,
      email: true,
      segmentId: input.segmentId,
      status: "sent",
      scheduledAt: input.at,
      startedAt: input.at,
      finishedAt: input.at,
      materializedAt: input.at,
      senderId: input.senderId,
      createdById: input.senderId,
      audienceCount: sent.length,
      excludedCount: input.audience.length - sent.length,
      createdAt: input.at,
      updatedAt: input.at,
    },
  });
  for (const member of input.audience) {
    const opened = input.openedBy?.includes(member.id) ? new Date(input.at.getTime() + 3_600_000) : null;
    await db.announcementDelivery.create({
      data: {
        id: newSortableId(input.at),
        announcementId: id,
        memberId: member.id,
        status: member.consented ? "sent" : "excluded",
        ...(member.consented ? { inAppAt: input.at, emailAttemptAt: input.at, emailAt: input.at, sentAt: input.at, openedAt: opened } : { error: "no_consent" }),
        createdAt: input.at,
      },
    });
    if (!member.consented) continue;
    const user = await db.user.findUniqueOrThrow({ where: { id: member.id }, select: { displayName: true, locale: true, accountManager: { select: { displayName: true } } } });
    const { title } = renderForMember(input.content, user);
    await db.notification.create({
      data: { id: newSortableId(input.at), userId: member.id, kind: "announcement.published", data: { title }, link: `/announcements/${id}`, sourceKey: `announcement:${id}:${member.id}`, createdAt: input.at, readAt: opened },
    });
    await addTouchpoint(db, { memberId: member.id, kind: "announcement.delivered", subject: { type: "announcement", id }, data: { title, channels: "in_app,email" }, at: input.at });
    if (opened) await addTouchpoint(db, { memberId: member.id, kind: "announcement.opened", actorId: member.id, subject: { type: "announcement", id }, at: opened });
  }
  return id;
}

/** A scheduled announcement with its start event waiting in the outbox for its time. */
export async function createScheduledAnnouncement(db: Db, input: { segmentId: string; senderId: string; topic: string; content: Content; at: Date; now: Date }) {
  const id = newSortableId(input.now);
  await db.announcement.create({
    data: { id, ...input.content, topic: input.topic, inApp: true, email: true, segmentId: input.segmentId, status: "scheduled", scheduledAt: input.at, senderId: input.senderId, createdById: input.senderId, createdAt: input.now, updatedAt: input.now },
  });
  await db.outboxEvent.create({ data: { type: ANNOUNCEMENT_START, payload: { announcementId: id }, availableAt: input.at } });
  return id;
}
