/**
 * Access helpers for loaders and actions. The session was already resolved
 * once per request in server/http.ts and arrives in the load context.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import { hasPermission, type Permission } from "~/modules/policy/permissions";

export function requireUser(context: AppLoadContext, request: Request) {
  if (context.user && context.session) return { user: context.user, session: context.session };
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

export function requireAnonymous(context: AppLoadContext) {
  if (context.user) throw redirect("/");
}

export function requirePermission(context: AppLoadContext, request: Request, permission: Permission) {
  const auth = requireUser(context, request);
  if (!hasPermission(auth.user, permission)) {
    throw new Response(`Missing permission ${permission}`, { status: 403, statusText: "Forbidden" });
  }
  return auth;
}

export function requestMeta(context: AppLoadContext) {
  return { ip: context.ip, userAgent: context.userAgent };
}

/** A staff page's viewer as the modules take it (the console's permission, or the one named). */
export function requireStaffActor(context: AppLoadContext, request: Request, permission: Permission = "console:access:any") {
  const { user } = requirePermission(context, request, permission);
  return { id: user.id, role: user.role };
}

/** What a loader found, or the 404 a missing thing (or one outside the viewer's scope) gets. */
export function foundOr404<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Response("Not found", { status: 404 });
  return value;
}

/** A staff page's form post: the viewer, the form and its intent; an intent the page never offers is a 400. */
export async function staffFormIntent<T extends [string, ...string[]]>(context: AppLoadContext, request: Request, Intent: z.ZodEnum<T>) {
  const actor = requireStaffActor(context, request);
  const form = await request.formData();
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  return { actor, form, intent: intent.data };
}
