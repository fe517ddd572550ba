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
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    v3_routeConfig: true,
  },
};
