import { data } from "@remix-run/node";
import type { Services } from "~/modules/services.server";
import type { Actor } from "~/modules/members/access.server";
import { removePreference, setPreference } from "~/modules/members/profile.server";

/** One action for the preference editor, wherever it is shown (member or staff). */
export async function handlePreferenceForm(services: Services, actor: Actor, memberId: string, form: FormData) {
  const key = String(form.get("key") ?? "");
  if (form.get("intent") === "delete") {
    const result = await removePreference(services, actor, memberId, key);
    if (!result.ok) {
      return data({ ok: false as const, key, errors: { key: ["pref.unknownKey"] } as Record<string, string[]> }, { status: 400 });
    }
    return data({ ok: true as const, key, deleted: true });
  }
  const result = await setPreference(services, actor, memberId, { key, value: String(form.get("value") ?? "") });
  if (!result.ok) return data({ ok: false as const, key, errors: result.fieldErrors }, { status: 400 });
  return data({ ok: true as const, key, deleted: false });
}
