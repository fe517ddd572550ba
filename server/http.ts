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
// The adapter's own conversion, which its package index does not re-export (Remix v2 is frozen).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Services } from "../app/modules/services.server.ts";
import type { RequestContext, Theme } from "../app/load-context.ts";
import { isLocale, localeFromAcceptLanguage, type Locale } from "../app/i18n/locales.ts";
import { isDatabaseUnavailable } from "../app/modules/availability/database-errors.ts";
import { unavailableHeaders, unavailableHtml } from "../app/utils/unavailable-page.server.ts";
import { isAllowedOrigin, isLoopbackAddress } from "./origin.ts";
import { requestRefusal } from "./input-guard.ts";
import { SHOP_REDEEM_PATH, shopRedeemHandler } from "./offers-api.ts";
import type { ShopKey } from "../app/modules/offers/shop-api.server.ts";
import { translator } from "../app/i18n/translate.ts";
import { readCookie, LOCALE_COOKIE, THEME_COOKIE, TIME_ZONE_COOKIE } from "../app/utils/cookies.ts";
import { isTimeZone, usableTimeZone } from "../app/modules/console/calendar.ts";

export interface HttpOptions {
  services: Services;
  logger: PinoLogger;
  trustProxy: boolean | number | string;
  /** The shops' keys for the offer redemption endpoint (OFFERS_API_KEYS); none turns it off. */
  offersApiKeys?: ShopKey[];
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
    /** A form's body, read and checked by the input guard. */
    body?: Buffer<ArrayBuffer>;
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

  // Always asks the database (with a deadline, so a hung connection cannot hang the check).
  app.get("/healthz", async (_req, res) => {
    if (await services.availability.probe()) res.status(200).json({ status: "ok" });
    else res.status(503).set(unavailableHeaders()).json({ status: "unavailable", reason: "database" });
  });

  if (options.remix.mode === "build") {
    const { clientDir } = options.remix;
    // Fingerprinted by Vite: cache for a year.
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  } else if (options.remix.mode === "vite") {
    app.use(options.remix.middlewares);
  }

  // The shop's JSON endpoint: keyed and signed instead of same-origin, so before the Origin check and the form guard.
  app.post(SHOP_REDEEM_PATH, shopRedeemHandler(services, options.offersApiKeys ?? []));

  // CSRF: a state-changing request must come from our own origin (Lucia's guidance).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    // RFC 8058 one-click unsubscribe is POSTed by mail providers, without an
    // Origin; the signed token is the authorization, not a cookie (notifications, and an
    // announcement's topic).
    if (req.path === "/unsubscribe" || req.path === "/announcements/unsubscribe") return next();
    const { publicUrl, isProduction } = services.settings;
    if (!isAllowedOrigin(req.get("origin"), { publicUrl, isProduction, localPort: req.socket.localPort })) {
      res.status(403).type("text/plain").send("Forbidden: this request did not come from this site (Origin check).");
      return;
    }
    next();
  });

  // After the Origin check: a foreign page cannot make us read (and hold) a large body.
  app.use(async (req, res, next) => {
    try {
      const refusal = await requestRefusal(req, res);
      if (!refusal) return next();
      const locale = resolveLocale(readCookie(req.headers.cookie ?? "", LOCALE_COOKIE), null, req.get("accept-language"), services.settings.defaultLocale);
      // A body left unread (too large) must not be taken for the next request on this connection.
      if (refusal.status === 413) res.set("Connection", "close");
      res.status(refusal.status).type("text/plain").send(translator(locale)(refusal.reason, refusal.vars));
    } catch (error) {
      next(error);
    }
  });

  // While the database is gone, answer at once instead of queueing every request on a dead pool.
  app.use((req, res, next) => {
    if (!services.availability.isDown()) return next();
    sendUnavailable(req, res);
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
    app.all("*", remixHandler(build, remix.mode === "build" ? "production" : "development"));
  }

  app.use(((error, req, res, _next) => {
    if (isDatabaseUnavailable(error)) {
      services.availability.reportFailure(error);
      if (!res.headersSent) sendUnavailable(req, res);
      return;
    }
    req.log?.error({ err: error }, "unhandled error");
    if (res.headersSent) return;
    res.status(500).type("text/plain").send(`Internal error. Reference: ${res.locals.requestId}`);
  }) as express.ErrorRequestHandler);

  function sendUnavailable(req: express.Request, res: express.Response) {
    const cookieHeader = req.headers.cookie ?? "";
    const locale = resolveLocale(readCookie(cookieHeader, LOCALE_COOKIE), null, req.get("accept-language"), services.settings.defaultLocale);
    res.status(503).set(unavailableHeaders()).type("html").send(unavailableHtml(locale, res.locals.requestId));
  }

  return app;
}

/** Remix's Express adapter, handing Remix the request as the checks above left it. */
function remixHandler(build: ServerBuild | (() => Promise<ServerBuild>), mode: string): RequestHandler {
  const handleRequest = createRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const converted = createRemixRequest(req, res);
      const headers = new Headers(converted.headers);
      // Vetted above against PUBLIC_URL. Remix would compare it with the Host header, which
      // differs behind a proxy or between loopback names, and answer a legitimate post with a 500.
      headers.delete("origin");
      // The input guard has read the body (and checked it): Remix gets those bytes.
      const body = res.locals.body;
      const request = new Request(converted, body ? { headers, body, duplex: "half" } : { headers });
      const response = await handleRequest(request, res.locals.context as unknown as AppLoadContext);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The account's saved zone, then the browser's (its cookie), then the install's. */
export function resolveTimeZone(saved: string | null | undefined, cookie: string | null) {
  return saved && isTimeZone(saved) ? saved : usableTimeZone(cookie);
}

/** Whether Express was told a proxy stands in front ("trust proxy"). */
function trustsProxy(req: express.Request) {
  const setting: unknown = req.app.get("trust proxy");
  return setting !== false && setting !== undefined && setting !== 0;
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
    // Behind a proxy on this machine every peer is loopback: only a direct connection counts.
    fromLoopback:
      isLoopbackAddress(req.socket.remoteAddress) && !trustsProxy(req) && !req.headers["x-forwarded-for"] && !req.headers.forwarded,
    userAgent: req.get("user-agent") ?? null,
  };
}
