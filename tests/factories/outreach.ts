/**
 * Segments and announcements as the staff console makes them, through the commands: shared by
 * the announcement tests and the demo data.
 */
import type { Services } from "../../app/modules/services.server.ts";
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
