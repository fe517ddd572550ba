/**
 * Relationship data for tests and the demo seed: preferences from both
 * sources, consents and the touchpoints they leave, written as the modules
 * would have written them at a given time.
 */
import type { Db } from "../../app/modules/services.server.ts";
import { recordTouchpoint, type TouchpointKind } from "../../app/modules/timeline/touchpoints.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";

export async function addTouchpoint(
  db: Db,
  input: {
    memberId: string;
    kind: TouchpointKind;
    at: Date;
    actorId?: string | null;
    subject?: { type: string; id: string };
    data?: Record<string, string | number | boolean | null>;
  },
) {
  return recordTouchpoint(db as never, input);
}

export async function addPreference(
  db: Db,
  input: { memberId: string; key: string; value: string; source: "member" | "staff"; actorId: string; at: Date },
) {
  await db.memberPreference.create({
    data: {
      id: newSortableId(input.at),
      memberId: input.memberId,
      key: input.key,
      value: input.value,
      source: input.source,
      updatedById: input.actorId,
      createdAt: input.at,
      updatedAt: input.at,
    },
  });
  await db.memberPreferenceChange.create({
    data: {
      id: newSortableId(input.at),
      memberId: input.memberId,
      key: input.key,
      action: "set",
      newValue: input.value,
      source: input.source,
      actorId: input.actorId,
      changedAt: input.at,
    },
  });
  await addTouchpoint(db, {
    memberId: input.memberId,
    kind: "preference.set",
    actorId: input.actorId,
    data: { key: input.key, value: input.value, source: input.source },
    at: input.at,
  });
}

export async function addConsent(
  db: Db,
  input: { memberId: string; channel: string; granted: boolean; source: string; at: Date },
) {
  await db.consentEvent.create({
    data: {
      id: newSortableId(input.at),
      memberId: input.memberId,
      channel: input.channel,
      granted: input.granted,
      source: input.source,
      actorId: input.memberId,
      recordedAt: input.at,
    },
  });
  await db.memberConsent.upsert({
    where: { memberId_channel: { memberId: input.memberId, channel: input.channel } },
    create: { memberId: input.memberId, channel: input.channel, granted: input.granted, updatedAt: input.at },
    update: { granted: input.granted, updatedAt: input.at },
  });
  await addTouchpoint(db, {
    memberId: input.memberId,
    kind: "consent.changed",
    actorId: input.memberId,
    data: { channel: input.channel, granted: input.granted },
    at: input.at,
  });
}

export async function addAssignment(db: Db, input: { memberId: string; managerId: string; managerName: string; at: Date }) {
  await db.accountManagerAssignment.create({
    data: { id: newSortableId(input.at), memberId: input.memberId, managerId: input.managerId, startedAt: input.at },
  });
  await addTouchpoint(db, {
    memberId: input.memberId,
    kind: "account_manager.changed",
    data: { from: null, to: input.managerName },
    at: input.at,
  });
}
