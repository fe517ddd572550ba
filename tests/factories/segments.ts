/** Saved segments for tests and the demo seed, stored as the segment commands store them. */
import type { Db } from "../../app/modules/services.server.ts";
import type { Prisma } from "../../app/generated/prisma/client.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import { SegmentDefinitionSchema, type SegmentDefinition } from "../../app/modules/segments/definition.ts";

export async function createSegmentRow(db: Db, input: { name: string; description?: string | null; definition: SegmentDefinition; createdById: string | null; at?: Date }) {
  const at = input.at ?? new Date();
  // Parsed as the command parses it, so a factory never stores a shape the app would refuse.
  const definition = SegmentDefinitionSchema.parse(input.definition);
  const id = newSortableId(at);
  await db.segment.create({
    data: { id, name: input.name, description: input.description ?? null, definition: definition as Prisma.InputJsonValue, createdById: input.createdById, createdAt: at, updatedAt: at },
  });
  return { id };
}
