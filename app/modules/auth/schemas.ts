/**
 * Form schemas shared by the browser (conform) and the server. Messages are
 * i18n keys, translated where they are shown.
 */
import { z } from "zod";
import { username } from "../members/usernames";
import { displayName } from "../members/profile-schema";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const email = z
  .string({ required_error: "validation.emailRequired" })
  .trim()
  .max(254, "validation.emailInvalid")
  .email("validation.emailInvalid")
  .transform((v) => v.toLowerCase());

export const newPassword = z
  .string({ required_error: "validation.passwordRequired" })
  .min(PASSWORD_MIN, "validation.passwordTooShort")
  .max(PASSWORD_MAX, "validation.passwordTooLong");

const SAME_SITE = "http://same-site.invalid";

const hasControlCharacter = (value: string) => [...value].some((c) => c <= "\u001f" || c === "\u007f");

/**
 * Judged as the browser's URL parser will read it: that parser drops tabs and
 * newlines and reads "\\" as "/", so "/\t/evil.example" is "//evil.example".
 */
function isSameSitePath(value: string) {
  if (!value.startsWith("/") || hasControlCharacter(value)) return false;
  try {
    return new URL(value, SAME_SITE).origin === SAME_SITE;
  } catch {
    return false;
  }
}

/** Only same-site paths, so a log-in link cannot bounce to another site. */
export const redirectTo = z
  .string()
  .optional()
  .transform((v) => (v && isSameSitePath(v) ? v : undefined));

export const LoginSchema = z.object({
  email,
  password: z.string({ required_error: "validation.passwordRequired" }).max(PASSWORD_MAX, "validation.passwordTooLong"),
  redirectTo,
});

// The username is optional: left empty, one is made from the display name.
export const SignupSchema = z.object({ email, displayName, username: username.optional(), password: newPassword });

export const ForgotPasswordSchema = z.object({ email });

export const ResetPasswordSchema = z
  .object({ token: z.string().min(1), password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "validation.passwordsDiffer" });

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: "validation.passwordRequired" }),
    password: newPassword,
    confirm: z.string({ required_error: "validation.passwordRequired" }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "validation.passwordsDiffer" });
