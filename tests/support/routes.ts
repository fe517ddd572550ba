/** Calling Remix loaders and actions as Remix calls them, with a chosen user in the context. */
import type { AppLoadContext } from "@remix-run/node";
import type { Services } from "../../app/modules/services.server.ts";
import type { Person } from "../factories/actors.ts";

export const ORIGIN = "http://localhost:3999";

export function routeContext(services: Services, person: Person | null): AppLoadContext {
  return {
    services,
    user: person ? { id: person.id, email: person.email, displayName: person.displayName, role: person.role, locale: "en", timezone: "Asia/Ho_Chi_Minh", emailVerified: true } : null,
    session: person ? { id: "s", userId: person.id, expiresAt: new Date(Date.now() + 60_000), fresh: false, userAgent: null, ip: null } : null,
    locale: "en",
    timeZone: "Asia/Ho_Chi_Minh",
    theme: "system",
    cspNonce: "n",
    requestId: "r",
    ip: "127.0.0.1",
    fromLoopback: false,
    userAgent: null,
  } as AppLoadContext;
}

/** What the route answered, whether it returned or threw it. */
export async function routeAnswer(work: () => Promise<unknown>) {
  try {
    const result = await work();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("location") };
    const single = result as { init?: { status?: number } | null; data?: unknown };
    return { status: single.init?.status ?? 200, data: single.data ?? result };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, location: error.headers.get("location") };
    throw error;
  }
}

export function formPost(path: string, fields: Record<string, string>) {
  return new Request(`${ORIGIN}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" } });
}
