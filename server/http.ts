/**
 * The Express app: process-level concerns (request ids, logs, helmet/CSP,
 * compression, static files, health, CSRF origin check, session lookup),
 * then the Remix handler.
 */
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import express, { type RequestHandler } from "express";
import compression from "compression";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { Logger as PinoLogger } from "pino";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { verifyRequestOrigin } from "lucia";
import type { Services } from "../app/modules/services.server.ts";
import type { RequestContext, Theme } from "../app/load-context.ts";
import { isLocale, localeFromAcceptLanguage, type Locale } from "../app/i18n/locales.ts";
import { readCookie, LOCALE_COOKIE, THEME_COOKIE, TIME_ZONE_COOKIE } from "../app/utils/cookies.ts";
import { isTimeZone, usableTimeZone } from "../app/modules/console/calendar.ts";

export interface HttpOptions {
  services: Services;
  logger: PinoLogger;
  trustProxy: boolean | number | string;
  /** Production: the built Remix app. Development: Vite's middleware and loader. */
  remix:
    | { mode: "build"; build: ServerBuild; clientDir: string }
    | { mode: "vite"; middlewares: RequestHandler; loadBuild: () => Promise<ServerBuild> }
    | { mode: "none" };
}

declare module "express-serve-static-core" {
  interface Locals {
    cspNonce: string;
    requestId: string;
    context: RequestContext;
  }
}

export function resolveLocale(
  cookieValue: string | null,
  userLocale: string | null | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  if (isLocale(userLocale)) return userLocale;
  return localeFromAcceptLanguage(acceptLanguage) ?? fallback;
}

/**
 * What a request's log line keeps. Never cookies or the Authorization header
 * (session tokens), and no query values: password-reset, verification and
 * unsubscribe links carry their tokens there. Parameter names stay.
 */
export const requestLogSerializers = {
  req: (req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown>; remoteAddress?: string }) => {
    const [path = "", query] = (req.url ?? "").split("?", 2);
    const names = query ? [...new URLSearchParams(query).keys()] : [];
    return {
      id: req.id,
      method: req.method,
      url: names.length ? `${path}?${names.map((n) => `${n}=…`).join("&")}` : path,
      userAgent: req.headers?.["user-agent"],
      remoteAddress: req.remoteAddress,
    };
  },
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export function createHttpApp(options: HttpOptions) {
  const { services } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    res.locals.requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("x-request-id", res.locals.requestId);
    next();
  });
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (_req, res) => (res as express.Response).locals.requestId,
      serializers: requestLogSerializers,
      // Health checks and fingerprinted assets would drown the log.
      autoLogging: { ignore: (req) => req.url === "/healthz" || !!req.url?.startsWith("/assets/") },
    }),
  );

  const dev = options.remix.mode === "vite";
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            "'strict-dynamic'",
            (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`,
            ...(dev ? ["'unsafe-eval'"] : []),
          ],
          styleSrc: ["'self'", ...(dev ? ["'unsafe-inline'"] : [])],
          imgSrc: ["'self'", "data:", "blob:"],
          connectSrc: ["'self'", ...(dev ? ["ws:"] : [])],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: services.settings.secureCookies ? [] : null,
        },
      },
      // Without HTTPS (demo, tests) HSTS would only confuse browsers on localhost.
      strictTransportSecurity: services.settings.secureCookies,
      crossOriginEmbedderPolicy: false,
      // "no-referrer" (helmet's default) makes browsers send `Origin: null` on
      // plain form posts, which the Origin check below would refuse.
      referrerPolicy: { policy: "same-origin" },
    }),
  );
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    try {
      await services.db.$queryRaw`SELECT 1`;
      res.status(200).json({ status: "ok" });
    } catch (error) {
      options.logger.error({ err: error }, "health check failed");
      res.status(503).json({ status: "unavailable", reason: "database" });
    }
  });

  if (options.remix.mode === "build") {
    const { clientDir } = options.remix;
    // Fingerprinted by Vite: cache for a year.
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  } else if (options.remix.mode === "vite") {
    app.use(options.remix.middlewares);
  }

  // CSRF: a state-changing request must come from our own origin (Lucia's guidance).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    // RFC 8058 one-click unsubscribe is POSTed by mail providers, without an
    // Origin; the signed single-use token is the authorization, not a cookie.
    if (req.path === "/unsubscribe") return next();
    const origin = req.get("origin") ?? null;
    const host = req.get("x-forwarded-host") && options.trustProxy ? req.get("x-forwarded-host")! : req.get("host");
    const publicHost = new URL(services.settings.publicUrl).host;
    if (!origin || !host || !verifyRequestOrigin(origin, [host, publicHost])) {
      res.status(403).type("text/plain").send("Forbidden: this request did not come from this site (Origin check).");
      return;
    }
    next();
  });

  app.use(async (req, res, next) => {
    try {
      res.locals.context = await resolveRequestContext(services, req, res);
      next();
    } catch (error) {
      next(error);
    }
  });

  if (options.remix.mode !== "none") {
    const remix = options.remix;
    const build = remix.mode === "build" ? remix.build : () => remix.loadBuild();
    app.all(
      "*",
      createRequestHandler({
        build,
        mode: remix.mode === "build" ? "production" : "development",
        getLoadContext: (_req, res) => res.locals.context as unknown as AppLoadContext,
      }),
    );
  }

  app.use(((error, req, res, _next) => {
    req.log?.error({ err: error }, "unhandled error");
    if (res.headersSent) return;
    res.status(500).type("text/plain").send(`Internal error. Reference: ${res.locals.requestId}`);
  }) as express.ErrorRequestHandler);

  return app;
}

/** The account's saved zone, then the browser's (its cookie), then the install's. */
export function resolveTimeZone(saved: string | null | undefined, cookie: string | null) {
  return saved && isTimeZone(saved) ? saved : usableTimeZone(cookie);
}

/** Session lookup, language and theme: once per request, shared with sockets. */
export async function resolveRequestContext(
  services: Services,
  req: express.Request,
  res: express.Response,
): Promise<RequestContext> {
  const cookieHeader = req.headers.cookie ?? "";
  const sessionId = services.auth.readSessionCookie(cookieHeader);
  let user: RequestContext["user"] = null;
  let session: RequestContext["session"] = null;
  if (sessionId) {
    const result = await services.auth.validateSession(sessionId);
    user = result.user;
    session = result.session;
    if (session?.fresh) res.append("Set-Cookie", services.auth.createSessionCookie(session.id).serialize());
    if (!session) res.append("Set-Cookie", services.auth.createBlankSessionCookie().serialize());
  }
  const themeCookie = readCookie(cookieHeader, THEME_COOKIE);
  const theme: Theme = themeCookie === "light" || themeCookie === "dark" ? themeCookie : "system";
  return {
    services,
    user,
    session,
    locale: resolveLocale(
      readCookie(cookieHeader, LOCALE_COOKIE),
      user?.locale,
      req.get("accept-language"),
      services.settings.defaultLocale,
    ),
    timeZone: resolveTimeZone(user?.timezone, readCookie(cookieHeader, TIME_ZONE_COOKIE)),
    theme,
    cspNonce: res.locals.cspNonce,
    requestId: res.locals.requestId,
    ip: req.ip ?? "unknown",
    userAgent: req.get("user-agent") ?? null,
  };
}
