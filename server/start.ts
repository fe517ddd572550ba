/**
 * Starts one instance: services, HTTP + socket.io on one server, and a
 * graceful drain on SIGTERM/SIGINT. Used by main.ts, tests and benchmarks.
 */
import { createServer, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { AppConfig } from "./config.ts";
import { buildServices, type BuiltServices } from "./services.ts";
import { createHttpApp, type HttpOptions } from "./http.ts";
import { createRealtime, realtimeEmitter, type RealtimeServer } from "./realtime/index.ts";
import type { OpenDatabase } from "./db/open.ts";

export interface RunningServer {
  url: string;
  port: number;
  services: BuiltServices;
  http: HttpServer;
  io: RealtimeServer;
  logger: Logger;
  /** Stop accepting, finish in-flight requests, close sockets, close the database. */
  stop(): Promise<void>;
}

export function trustProxySetting(value: string | boolean): boolean | number | string {
  // Express reads any other string as addresses to trust and throws on "false".
  if (!value || value === "false") return false;
  if (value === true || value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export async function startServer(
  config: AppConfig,
  remix: HttpOptions["remix"],
  options: { logger?: Logger; database?: OpenDatabase; beforeListen?: (services: BuiltServices) => Promise<void> } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const services = await buildServices(config, logger, options.database);
  if (services.database.applied.length) logger.info({ migrations: services.database.applied }, "applied migrations");
  // A search engine that is down must not stop the portal: the outbox keeps the changes until it is back.
  await services.search.bootstrap().catch((err: unknown) => logger.error({ err, engine: services.search.name }, "search engine bootstrap failed"));
  await options.beforeListen?.(services);

  const app = createHttpApp({ services, logger, trustProxy: trustProxySetting(config.trustProxy), offersApiKeys: config.offersApiKeys, remix });
  const http = createServer(app);
  // Node keeps a connection alive after its in-flight response even while
  // closing, so a keep-alive client (browser, load balancer) would hold the
  // drain open until its idle timeout and could send more requests meanwhile.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const closeWhenDone = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  http.on("request", (_req, res) => {
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    if (draining) closeWhenDone(res);
  });
  const io = createRealtime(http, services, {
    postgresUrl: config.database.kind === "postgres" ? config.database.url : null,
  });
  services.realtime.attach(realtimeEmitter(io));

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  services.dispatcher.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // server.close() stops accepting and resolves once in-flight requests end;
      // idle keep-alive connections are closed so it does not wait on them.
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      draining = true;
      inFlight.forEach(closeWhenDone);
      http.closeIdleConnections();
      const forced = setTimeout(() => http.closeAllConnections(), 10_000);
      forced.unref();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await closed;
      clearTimeout(forced);
      await services.close();
    })());

  return { url: `http://localhost:${port}`, port, services, http, io, logger, stop };
}
