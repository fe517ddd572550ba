/**
 * Consent, kept append-only: the latest entry per channel counts. MemberConsent mirrors that latest
 * entry in the same transaction, for segments and audiences to filter on in SQL.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { defineCommand } from "../commands/command.server";
import { can } from "../policy/can";
import { newSortableId } from "../ids.server";
import { MemberRef, memberInScope } from "./member-ref.server";
import { CONSENT_CHANNELS, type ConsentChannel } from "./profile-schema";

export async function getConsents(db: Db | Tx, memberId: string) {
  const events = await db.consentEvent.findMany({
    where: { memberId },
    orderBy: { recordedAt: "desc" },
    select: { channel: true, granted: true, source: true, recordedAt: true },
  });
  return CONSENT_CHANNELS.map((channel) => {
    const latest = events.find((e) => e.channel === channel);
    return { channel, granted: latest?.granted ?? false, source: latest?.source ?? null, recordedAt: latest?.recordedAt ?? null };
  });
}

export async function consentHistory(db: Db, memberId: string) {
  return db.consentEvent.findMany({
    where: { memberId },
    orderBy: { recordedAt: "desc" },
    select: { id: true, channel: true, granted: true, source: true, recordedAt: true },
  });
}

const CONSENT_SOURCES = ["profile", "signup", "staff"] as const;

/**
 * A step: one answer for one channel, appended to the history and mirrored in MemberConsent in the
 * caller's transaction ("unsubscribe" is the source of a one-click link in an announcement's mail).
 */
export async function recordConsent(
  tx: Tx,
  { memberId, channel, granted, source, actorId, at }: { memberId: string; channel: ConsentChannel; granted: boolean; source: (typeof CONSENT_SOURCES)[number] | "unsubscribe"; actorId: string | null; at: Date },
) {
  await tx.consentEvent.create({ data: { id: newSortableId(at), memberId, channel, granted, source, actorId, recordedAt: at } });
  await tx.memberConsent.upsert({
    where: { memberId_channel: { memberId, channel } },
    create: { memberId, channel, granted, updatedAt: at },
    update: { granted, updatedAt: at },
  });
}

/** Each channel's wish: a form gives "on" or nothing, a caller a boolean. */
const wish = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const ConsentInput = z.object({ newsletter: wish, product_updates: wish, offers: wish, community_digest: wish, surveys: wish } satisfies Record<ConsentChannel, typeof wish>);

export const setConsents = defineCommand({
  name: "member.set_consents",
  ref: MemberRef.extend({ source: z.enum(CONSENT_SOURCES).default("profile") }),
  load: memberInScope,
  // Only the member gives their consent; staff record what the member told them, as "staff".
  policy: (actor, member, { source }) => can(actor, "member.consent", { ...member, asStaff: source === "staff" }),
  input: ConsentInput,
  async run({ tx, now, actor, touchpoint }, wanted) {
    const { memberId, source } = wanted;
    const current = await getConsents(tx, memberId);
    const changes = current.filter((c) => c.granted !== wanted[c.channel] || c.recordedAt === null);
    for (const change of changes) {
      const granted = wanted[change.channel];
      await recordConsent(tx, { memberId, channel: change.channel, granted, source, actorId: actor.id, at: now });
      await touchpoint({ memberId, kind: "consent.changed", actorId: actor.id, data: { channel: change.channel, granted } });
    }
    return { ok: true, changed: changes.length };
  },
});
