import { createHash, randomBytes, createHmac, timingSafeEqual } from "node:crypto";

export function sha256Hex(value: string) {
  return createHash("sha256").update(value).digest("hex");
}

/** 160 bits of entropy, URL-safe. Only its SHA-256 is stored. */
export function newToken() {
  return randomBytes(20).toString("base64url");
}

export function newId() {
  return randomBytes(12).toString("base64url");
}

export function hmac(secret: string, value: string) {
  return createHmac("sha256", secret).update(value).digest("base64url");
}

export function safeEqual(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
