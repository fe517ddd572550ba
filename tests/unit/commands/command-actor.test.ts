/**
 * Who a command is for (docs/decisions/017): a signed-in person, unless the
 * command says it is open to visitors (`anonymous`). Checked before anything
 * is read, so these need no database.
 */
import { describe, expect, it } from "vitest";
import { defineCommand } from "../../../app/modules/commands/command.server.ts";
import type { Services } from "../../../app/modules/services.server.ts";
import { isAdminRole } from "../../../app/modules/policy/permissions.ts";

const nothing = {} as Services; // a refusal must come before any service is touched

describe("a command's actor", () => {
  it("a visitor (no actor) is refused by a command for signed-in people, before anything is read", async () => {
    const forMembers = defineCommand({ name: "test.members_only", who: () => true, run: async () => ({ ok: true }) });
    expect(await forMembers(nothing, null, {})).toEqual({ ok: false, error: "notAllowed" });
  });

  it("an anonymous command needs neither who nor policy; one for signed-in people must say who may act", () => {
    expect(() => defineCommand({ name: "test.open", anonymous: true, run: async () => ({ ok: true }) })).not.toThrow();
    expect(() => defineCommand({ name: "test.unguarded", run: async () => ({ ok: true }) })).toThrow(/neither a policy nor a who/);
  });

  it("an anonymous command's own who still decides for signed-in callers", async () => {
    const operatorOrAdmin = defineCommand({ name: "test.operator", anonymous: true, who: (actor) => !actor || isAdminRole(actor.role), run: async () => ({ ok: true }) });
    expect(await operatorOrAdmin(nothing, { id: "m1", role: "member" }, {})).toEqual({ ok: false, error: "notAllowed" });
  });
});
