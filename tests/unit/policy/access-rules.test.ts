import { describe, expect, it } from "vitest";
import { hasPermission, isStaffRole, ROLES, type Permission } from "../../../app/modules/policy/permissions.ts";
import { LoginSchema, SignupSchema, redirectTo } from "../../../app/modules/auth/schemas.ts";
import { hashPassword, isCommonPassword, verifyPassword } from "../../../app/modules/passwords.server.ts";

describe("roles grant typed permissions", () => {
  it("keeps the staff console from members and moderators", () => {
    expect(hasPermission({ role: "member" }, "console:access:any")).toBe(false);
    expect(hasPermission({ role: "moderator" }, "console:access:any")).toBe(false);
    expect(hasPermission({ role: "moderator" }, "thread:lock:any")).toBe(true);
    expect(hasPermission({ role: "staff" }, "console:access:any")).toBe(true);
  });

  // The lowest role holding each permission; every role above it holds it too.
  const LOWEST: [Permission, (typeof ROLES)[number]][] = [
    ["profile:update:own", "member"],
    ["thread:create:any", "member"],
    ["post:create:any", "member"],
    ["chat:write:own", "member"],
    ["thread:lock:any", "moderator"],
    ["thread:pin:any", "moderator"],
    ["post:hide:any", "moderator"],
    ["moderation:review:any", "moderator"],
    ["console:access:any", "staff"],
    ["member:read:assigned", "staff"],
    ["member:update:assigned", "staff"],
    ["chat:write:assigned", "staff"],
    ["member:read:any", "admin"],
    ["member:update:any", "admin"],
    ["member:assign:any", "admin"],
    ["chat:write:any", "admin"],
    ["category:manage:any", "admin"],
    ["system:read:any", "admin"],
    ["audit:read:any", "admin"],
    ["review:write:any", "member"],
    ["idea:create:any", "member"],
    ["idea:vote:any", "member"],
    ["idea:comment:any", "member"],
    ["review:hide:any", "moderator"],
    ["idea:moderate:any", "moderator"],
    ["review:respond:any", "staff"],
    ["idea:status:any", "staff"],
    ["product:ownership:assigned", "staff"],
    ["product:manage:any", "admin"],
    ["product:ownership:any", "admin"],
  ];

  it.each(LOWEST)("%s belongs to %s and every role above", (permission, lowest) => {
    const granted = ROLES.filter((role) => hasPermission({ role }, permission));
    expect(granted).toEqual(ROLES.slice(ROLES.indexOf(lowest)));
  });

  it("grants nothing to someone who is not signed in", () => {
    for (const [permission] of LOWEST) {
      expect(hasPermission(null, permission)).toBe(false);
      expect(hasPermission(undefined, permission)).toBe(false);
    }
  });

  it("counts staff and admins, not moderators, as staff", () => {
    expect(ROLES.filter(isStaffRole)).toEqual(["staff", "admin"]);
  });

  it("gives admins what staff cannot do", () => {
    expect(hasPermission({ role: "staff" }, "member:assign:any")).toBe(false);
    expect(hasPermission({ role: "admin" }, "member:assign:any")).toBe(true);
    expect(hasPermission({ role: "staff" }, "audit:read:any")).toBe(false);
    expect(hasPermission(null, "profile:update:own")).toBe(false);
  });
});

describe("forms refuse bad input with messages", () => {
  it("only redirects to paths on this site after log-in", () => {
    const target = (redirectTo: string) => LoginSchema.parse({ email: "a@b.vn", password: "x", redirectTo }).redirectTo;
    expect(target("/profile?tab=1")).toBe("/profile?tab=1");
    expect(target("//evil.example")).toBeUndefined();
    expect(target("https://evil.example")).toBeUndefined();
    expect(target("/\\evil.example")).toBeUndefined();
  });

  it("keeps a same-site path and drops anything a browser would read as another site", () => {
    const keep = (value: string | undefined) => redirectTo.parse(value);
    expect(keep("/profile?x=1")).toBe("/profile?x=1");
    expect(keep("/community/t/abc?page=2#post-51")).toBe("/community/t/abc?page=2#post-51");
    expect(keep("/")).toBe("/");
    for (const evil of [
      "//evil.com",
      "https://evil.com",
      "/\\evil.com",
      "\\\\evil.com",
      "javascript:alert(1)",
      "evil.com",
      // Browsers drop tabs and newlines inside a URL: these become "//evil.com".
      "/\t/evil.com",
      "/\n/evil.com",
      "/\r\n/evil.com",
      "/\t\\evil.com",
      "/profile\u0000",
    ]) {
      expect(keep(evil), JSON.stringify(evil)).toBeUndefined();
    }
    expect(keep("")).toBeUndefined();
    expect(keep(undefined)).toBeUndefined();
  });

  it("accepts passwords of 8 to 128 characters", () => {
    const base = { email: "Mai@Example.VN", displayName: "Mai" };
    expect(SignupSchema.safeParse({ ...base, password: "1234567" }).success).toBe(false);
    expect(SignupSchema.safeParse({ ...base, password: "x".repeat(129) }).success).toBe(false);
    const ok = SignupSchema.parse({ ...base, password: "x".repeat(128) });
    expect(ok.email).toBe("mai@example.vn");
  });
});

describe("passwords", () => {
  it("recognizes the most common passwords, whatever their case", () => {
    expect(isCommonPassword("password123")).toBe(true);
    expect(isCommonPassword("QWERTY123")).toBe(true);
    expect(isCommonPassword("mây trắng bay qua đồi")).toBe(false);
  });

  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "Correct horse battery")).toBe(false);
    expect(await verifyPassword(null, "anything")).toBe(false);
  });

  it("salts every hash, and treats a damaged hash as a wrong password rather than a crash", async () => {
    const [a, b] = await Promise.all([hashPassword("same words twice"), hashPassword("same words twice")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "same words twice")).toBe(true);
    expect(await verifyPassword(b, "same words twice")).toBe(true);
    expect(await verifyPassword("not-a-hash", "same words twice")).toBe(false);
    expect(await verifyPassword(a.slice(0, -5), "same words twice")).toBe(false);
  });
});
