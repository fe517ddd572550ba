/** Language and theme switchers post here; works without JavaScript. */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { LOCALES } from "~/i18n/locales";
import { setUserLocale } from "~/modules/auth/accounts.server";
import { redirectTo as safeRedirect } from "~/modules/auth/schemas";
import { LOCALE_COOKIE, THEME_COOKIE, preferenceCookie } from "~/utils/cookies";

const PreferenceSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("language"), value: z.enum(LOCALES), redirectTo: safeRedirect }),
  z.object({ intent: z.literal("theme"), value: z.enum(["light", "dark", "system"]), redirectTo: safeRedirect }),
]);

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = PreferenceSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown preference or value.", { status: 400 });
  const { intent, value, redirectTo } = parsed.data;
  const secure = context.services.settings.secureCookies;
  const headers = new Headers();
  if (intent === "language") {
    headers.append("Set-Cookie", preferenceCookie(LOCALE_COOKIE, value, secure));
    // Remembered on the account too, so it follows the member to other devices and emails.
    if (context.user) await setUserLocale(context.services, { id: context.user.id, role: context.user.role }, { locale: value }, { ip: context.ip });
  } else {
    headers.append("Set-Cookie", preferenceCookie(THEME_COOKIE, value, secure));
  }
  return redirect(redirectTo ?? "/", { headers });
}
