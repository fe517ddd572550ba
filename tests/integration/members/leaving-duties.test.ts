/**
 * Deleting one's own account follows the team's rules (ADR 012): the last
 * admin, and staff who still manage members or back someone up, hand over
 * first, so no member is left without a manager and the portal without an admin.
 */
import { describe, expect, it } from "vitest";
import { deleteOwnAccount } from "../../../app/modules/members/my-data.server.ts";
import { createAdmin, createMember, createStaff } from "../../factories/actors.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const password = "bàn giao trước đã";
const leave = (person: { actor: { id: string; role: "member" | "moderator" | "staff" | "admin" } }) => deleteOwnAccount(services, person.actor, { password }, { ip: "10.1.0.1" });

describe("deleting your own account", () => {
  it("is refused to the only admin until there is another, and to staff until their members and cover are handed over", async () => {
    const admin = await createAdmin(services.db, { password });
    expect(await leave(admin)).toEqual({ ok: false, error: "hasDuties", message: { key: "profile.deleteBlocked.lastAdmin", vars: { count: 1 } } });

    const staff = await createStaff(services.db, { password });
    const member = await createMember(services.db, { accountManagerId: staff.id });
    expect(await leave(staff)).toEqual({ ok: false, error: "hasDuties", message: { key: "profile.deleteBlocked.managesMembers", vars: { count: 1 } } });
    await services.db.user.update({ where: { id: member.id }, data: { accountManagerId: null } });
    const covered = await createStaff(services.db);
    await services.db.staffCoverage.create({ data: { managerId: covered.id, backupId: staff.id } });
    expect(await leave(staff)).toEqual({ ok: false, error: "hasDuties", message: { key: "profile.deleteBlocked.isBackup", vars: { count: 1 } } });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: staff.id } })).deletedAt).toBeNull();

    await services.db.staffCoverage.deleteMany({ where: { backupId: staff.id } });
    expect(await leave(staff)).toEqual({ ok: true });
    await createAdmin(services.db);
    expect(await leave(admin)).toEqual({ ok: true });
  });
});
