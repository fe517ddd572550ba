/**
 * Demo data, built from the test factories. Idempotent: it runs only on a
 * database without the demo admin.
 */
import type { Db } from "../app/modules/services.server.ts";
import { hashPassword } from "../app/modules/auth/password.server.ts";
import { createUser } from "../tests/factories/users.ts";
import { ADMIN_PERSON, MEMBER_PEOPLE, STAFF_PEOPLE } from "../tests/factories/people.ts";
import { addAssignment, addConsent, addPreference, addTouchpoint } from "../tests/factories/relationship.ts";

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

  await createUser(db, { email: "admin@rapport.local", role: "admin", passwordHash, createdAt: since(720), ...ADMIN_PERSON });
  const staff = [];
  for (const [i, person] of STAFF_PEOPLE.entries()) {
    const member = await createUser(db, {
      email: `staff${i + 1}@rapport.local`,
      role: "staff",
      passwordHash,
      createdAt: since(600 - i * 40),
      ...person,
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
  }
  return { created: true };
}
