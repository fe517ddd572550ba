/**
 * Streams the HTML with the per-request CSP nonce from server/http.ts, so
 * only our own scripts run (no 'unsafe-inline').
 */
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./utils/nonce";
import { isDatabaseUnavailable } from "./modules/availability/database-errors";
import { unavailableHeaders, unavailableResponse } from "./utils/unavailable-page.server";

/** Requests whose loader or action found the database gone: answered 503, not 500. */
const unavailable = new WeakSet<AppLoadContext>();

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (isDatabaseUnavailable(error)) {
    unavailable.add(context);
    context.services.availability.reportFailure(error);
    return;
  }
  // An aborted request (the visitor navigated away) is not an error of ours.
  if (request.signal.aborted) return;
  context.services.logger.error({ err: error, requestId: context.requestId }, "request failed");
};

export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => {
  if (!unavailable.has(context)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(unavailableHeaders())) headers.set(name, value);
  return new Response(response.body, { status: 503, headers });
};

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (unavailable.has(loadContext)) return unavailableResponse(loadContext.locale, loadContext.requestId);
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
