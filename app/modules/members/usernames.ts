/**
 * Usernames: the handle people @mention. Stored lower-cased, so uniqueness
 * is case-insensitive by construction. ASCII letters, digits and "_" only:
 * a handle must be typeable on any keyboard, and "@Đức" vs "@Duc" would be
 * two people who look the same.
 */
import { z } from "zod";

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 20;
export const USERNAME_PATTERN = /^[a-z0-9_]{3,20}$/;

export const username = z
  .string({ required_error: "validation.usernameRequired" })
  .trim()
  .transform((v) => v.replace(/^@/, "").toLowerCase())
  .pipe(
    z
      .string()
      .min(USERNAME_MIN, "validation.usernameTooShort")
      .max(USERNAME_MAX, "validation.usernameTooLong")
      .regex(USERNAME_PATTERN, "validation.usernameInvalid"),
  );

/** Vietnamese (and other Latin) letters folded to ASCII: "Đặng Thu Hà" → "dangthuha". */
export function foldToAscii(value: string) {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
}

/** A username proposed from a display name or an email's local part. */
export function usernameBase(source: string) {
  const base = foldToAscii(source.split("@")[0] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "")
    .slice(0, USERNAME_MAX - 4);
  return base.length >= USERNAME_MIN ? base : `member${base}`.slice(0, USERNAME_MAX - 4);
}
