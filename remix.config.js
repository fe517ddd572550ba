/**
 * Remix options. Remix's Vite plugin does not read this file itself;
 * vite.config.ts imports it and passes it on. Routes are declared in
 * app/routes.ts (v3_routeConfig), from the files in app/routes.
 * @type {import("@remix-run/dev").VitePluginConfig}
 */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off on purpose: with lazy discovery, a fetcher that loaded a route the
    // browser found late (the member page's timeline pages, the header search,
    // similar ideas) fails its revalidation after any form post with "No route
    // matches URL" (remix-run/remix#10263; the catch-all route makes it worse,
    // react-router#15326). About 70 routes fit in the initial manifest anyway.
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: true,
    v3_routeConfig: true,
  },
};
