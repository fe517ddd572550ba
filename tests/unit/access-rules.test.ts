import { describe, expect, it } from "vitest";
import { hasPermission } from "../../app/modules/auth/permissions.ts";
import { LoginSchema, SignupSchema } from "../../app/modules/auth/schemas.ts";
import { hashPassword, isCommonPassword, verifyPassword } from "../../app/modules/auth/password.server.ts";

describe("roles grant typed permissions", () => {
  it("keeps the staff console from members and moderators", () => {
    expect(hasPermission({ role: "member" }, "console:access:any")).toBe(false);
    expect(hasPermission({ role: "moderator" }, "console:access:any")).toBe(false);
    expect(hasPermission({ role: "moderator" }, "thread:lock:any")).toBe(true);
    expect(hasPermission({ role: "staff" }, "console:access:any")).toBe(true);
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
});
