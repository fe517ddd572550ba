/**
 * A one-route Remix build for testing what server/http.ts hands to Remix, without `npm run build`:
 * the real Remix server runtime answers, the route echoes the form it was posted.
 */
import type { ServerBuild } from "@remix-run/node";

export const echoBuild = {
  mode: "production",
  // The "page" is what the action answered, as JSON.
  entry: {
    module: {
      default: (_request: Request, status: number, _headers: Headers, context: { staticHandlerContext: { actionData: Record<string, unknown> | null } }) =>
        Response.json(context.staticHandlerContext.actionData?.root ?? null, { status }),
    },
  },
  routes: {
    root: {
      id: "root",
      path: "",
      module: {
        loader: () => ({ page: "ok" }),
        action: async ({ request }: { request: Request }) =>
          Object.fromEntries([...(await request.formData())].map(([name, value]) => [name, typeof value === "string" ? value : `${value.name}, ${value.size} bytes`])),
        default: () => null,
      },
    },
  },
  assets: { entry: { module: "/entry.js", imports: [] }, routes: {}, url: "/manifest.js", version: "test" },
  publicPath: "/",
  assetsBuildDirectory: "build/client",
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: false, v3_routeConfig: true },
  isSpaMode: false,
} as unknown as ServerBuild;
