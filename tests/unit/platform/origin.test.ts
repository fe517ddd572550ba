import { describe, expect, it } from "vitest";
import { isAllowedOrigin, isLoopbackAddress, type OriginRule } from "../../../server/origin.ts";

const production: OriginRule = { publicUrl: "https://rapport.example", isProduction: true, localPort: 3000 };
const demo: OriginRule = { publicUrl: "http://localhost:3511", isProduction: false, localPort: 3511 };

describe("a request's Origin is ours only if it is PUBLIC_URL exactly", () => {
  it("accepts the public address itself, with or without its default port spelt out", () => {
    expect(isAllowedOrigin("https://rapport.example", production)).toBe(true);
    expect(isAllowedOrigin("https://rapport.example", { ...production, publicUrl: "https://rapport.example:443" })).toBe(true);
    expect(isAllowedOrigin("http://localhost:3511", demo)).toBe(true);
  });

  it("refuses another scheme, another port or another host", () => {
    expect(isAllowedOrigin("http://rapport.example", production)).toBe(false);
    expect(isAllowedOrigin("https://rapport.example:8443", production)).toBe(false);
    expect(isAllowedOrigin("https://evil.example", production)).toBe(false);
    expect(isAllowedOrigin("https://rapport.example.evil.example", production)).toBe(false);
    expect(isAllowedOrigin("https://sub.rapport.example", production)).toBe(false);
  });

  it("refuses what is not an origin: a trailing slash, a path, null, nothing", () => {
    expect(isAllowedOrigin("https://rapport.example/", production)).toBe(false);
    expect(isAllowedOrigin("https://rapport.example/login", production)).toBe(false);
    expect(isAllowedOrigin("null", production)).toBe(false);
    expect(isAllowedOrigin(null, production)).toBe(false);
    expect(isAllowedOrigin(undefined, production)).toBe(false);
    expect(isAllowedOrigin("", production)).toBe(false);
  });

  it("a PUBLIC_URL written with a trailing slash still matches its origin", () => {
    expect(isAllowedOrigin("https://rapport.example", { ...production, publicUrl: "https://rapport.example/" })).toBe(true);
  });

  it("outside production, also the loopback names of the port the request arrived on, over http", () => {
    for (const origin of ["http://localhost:3511", "http://127.0.0.1:3511", "http://[::1]:3511"]) expect(isAllowedOrigin(origin, demo), origin).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1:3512", demo)).toBe(false);
    expect(isAllowedOrigin("https://127.0.0.1:3511", demo)).toBe(false);
    expect(isAllowedOrigin("http://127.0.0.2:3511", demo)).toBe(false);
    expect(isAllowedOrigin("http://localhost.evil.example:3511", demo)).toBe(false);
  });

  it("in production, no loopback name is ours, even on the port the process listens on", () => {
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) expect(isAllowedOrigin(origin, production), origin).toBe(false);
  });
});

describe("a connection from this machine", () => {
  it("is one from 127.0.0.0/8 or ::1, also written as IPv4 inside IPv6; nothing else", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "128.0.0.1", "127.0.0.1.evil", "fe80::1", "", undefined]) expect(isLoopbackAddress(address), address).toBe(false);
  });
});
