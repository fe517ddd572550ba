/**
 * The browser's one socket.io connection, opened when a logged-in page
 * mounts. The session cookie authenticates it; no token lives in JavaScript.
 */
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: ClientSocket | null = null;

export function getSocket(): ClientSocket {
  if (shared) return shared;
  const socket: ClientSocket = io({ withCredentials: true, transports: ["websocket", "polling"] });
  // A handshake refused by the server's middleware is not retried by socket.io itself; one
  // refused because the server could not check the session right now (a database restart) is.
  let delay = 1_000;
  socket.on("connect", () => (delay = 1_000));
  socket.on("connect_error", (error) => {
    if (error.message !== "unavailable" || socket.active) return;
    setTimeout(() => socket.connect(), delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 15_000);
  });
  shared = socket;
  return shared;
}

export function useSocket(enabled: boolean) {
  const [socket, setSocket] = useState<ClientSocket | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const s = getSocket();
    setSocket(s);
    const ended = () => window.location.reload();
    s.on("session:ended", ended);
    return () => {
      s.off("session:ended", ended);
    };
  }, [enabled]);
  return socket;
}

/** Subscribes to one server event for the life of the component. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket | null,
  event: E,
  handler: ServerToClientEvents[E],
) {
  useEffect(() => {
    if (!socket) return;
    socket.on(event, handler as never);
    return () => {
      socket.off(event, handler as never);
    };
  }, [socket, event, handler]);
}
