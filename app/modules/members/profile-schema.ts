/** The self-service profile form, shared by the browser and the server. */
import { z } from "zod";
import { LOCALES } from "../locales";
import { username } from "./usernames";

/** The name a member shows, on the profile form and at sign-up. */
export const displayName = z
  .string({ required_error: "validation.displayNameRequired" })
  .trim()
  .min(2, "validation.displayNameTooShort")
  .max(60, "validation.displayNameTooLong");

export const CONTACT_CHANNELS = ["chat", "email", "phone"] as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "validation.tooLong")
    // nullish: parsing already-parsed input (module re-validates what routes parsed) stays valid.
    .nullish()
    .transform((v) => (v ? v : null));

function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const ProfileSchema = z.object({
  displayName,
  // Absent means "unchanged" (the form always sends it).
  username: username.optional(),
  bio: optionalText(280),
  company: optionalText(100),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{6,20}$/, "validation.phoneInvalid")
    .nullish()
    .transform((v) => (v ? v : null)),
  timezone: z.string({ required_error: "validation.required" }).refine(isTimeZone, "validation.timezoneInvalid"),
  locale: z.enum(LOCALES),
  contactChannel: z.enum(CONTACT_CHANNELS),
  contactHours: optionalText(100),
});

export type ProfileInput = z.infer<typeof ProfileSchema>;

// The topics a member may hear about from us; each is its own consent (GDPR: per purpose), and an
// announcement or offer names the one it belongs to.
export const CONSENT_CHANNELS = ["newsletter", "product_updates", "offers", "community_digest", "surveys"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
