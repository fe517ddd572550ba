import { data } from "@remix-run/node";
import type { Services } from "~/modules/services.server";
import type { Actor } from "~/modules/policy/actor";
import { removePreference, setPreference } from "~/modules/members/preferences.server";

/** One action for the preference editor, wherever it is shown (member or staff). */
export async function handlePreferenceForm(services: Services, actor: Actor, memberId: string, form: FormData, origin: { ip?: string | null } = {}) {
  const key = String(form.get("key") ?? "");
  const deleting = form.get("intent") === "delete";
  const input = { key, value: form.get("value") ?? "", memberId };
  const result = deleting ? await removePreference(services, actor, input, origin) : await setPreference(services, actor, input, origin);
  if (result.ok) return data({ ok: true as const, key, deleted: deleting });
  // Both pages open the member first (out of scope is their 404), so a refusal here is about the
  // key or the value: beside the field, as the editor shows it (a key with nothing to remove included).
  return data({ ok: false as const, key, errors: result.fieldErrors ?? { key: ["pref.unknownKey"] } }, { status: 400 });
}
