/**
 * Roles are compared in one place (app/modules/roles.ts, re-exported by the policy module): the
 * rest of the code asks isStaffRole, a permission or `can`, so what "staff" may do is decided
 * once. A raw `role === "…"` anywhere else turns this red.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../..", import.meta.url).pathname;
const OWNERS = new Set(["app/modules/roles.ts"]);
// A role compared with a role literal, in either order, or a switch on a role.
const RAW = /\brole\s*[!=]==?\s*["'`]|["'`](member|moderator|staff|admin)["'`]\s*[!=]==?\s*[\w.]*role\b|switch\s*\([\w.]*role\)/;

function sources(dir: string): string[] {
  return readdirSync(`${root}${dir}`, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f) && !f.includes("generated/"))
    .map((f) => `${dir}/${f}`);
}

describe("role comparisons", () => {
  it("happen only in app/modules/roles.ts", () => {
    const offenders = [...sources("app"), ...sources("server")]
      .filter((file) => !OWNERS.has(file))
      .flatMap((file) =>
        readFileSync(`${root}${file}`, "utf8")
          .split("\n")
          .flatMap((line, i) => (RAW.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it("the check sees a raw comparison", () => {
    expect(RAW.test('if (actor.role === "admin") return;')).toBe(true);
    expect(RAW.test('const staff = "staff" !== user.role;')).toBe(true);
    expect(RAW.test("if (isStaffRole(actor.role)) return;")).toBe(false);
  });
});
