/**
 * A one-route Remix build for testing what server/http.ts hands to Remix, without `npm run build`:
 * the real Remix server runtime answers, the route echoes the form it was posted.
 */
import type { ServerBuild } from "@remix-run/node";

export const echoBuild = {
  mode: "production",
  // The "page" is what the action answered (or, without one, the loader), as JSON.
  entry: {
    module: {
      default: (_request: Request, status: number, _headers: Headers, context: { staticHandlerContext: Record<"actionData" | "loaderData", Record<string, unknown> | null> }) =>
        Response.json(context.staticHandlerContext.actionData?.root ?? context.staticHandlerContext.loaderData?.root ?? null, { status }),
    },
  },
  routes: {
    root: {
      id: "root",
      path: "",
      module: {
        // Where the request came from, as the app sees it.
        loader: ({ context }: { context: { ip: string; fromLoopback: boolean } }) => ({ ip: context.ip, fromLoopback: context.fromLoopback }),
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
