/**
 * Access helpers for loaders and actions. The session was already resolved
 * once per request in server/http.ts and arrives in the load context.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
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
