/** A member's email hours as they chose them on their profile: weekdays and "HH:MM" times, their own zone. */
import type { Db } from "../../app/modules/services.server.ts";
import { minuteOf } from "../../app/modules/members/contact-hours.ts";

export async function giveContactHours(db: Db, input: { memberId: string; weekdays: number[]; from: string; to: string; at?: Date }) {
  const window = { weekdays: input.weekdays, fromMinute: minuteOf(input.from)!, toMinute: minuteOf(input.to)! };
  const data = { ...window, source: "member" as const, updatedById: input.memberId, updatedAt: input.at ?? new Date() };
  await db.memberContactHours.upsert({ where: { memberId: input.memberId }, create: { memberId: input.memberId, ...data }, update: data });
}
