import type { Ack } from "~/realtime/events";
import type { ClientSocket } from "~/realtime/client";

/** A message typed here and not yet stored by the server; its client id never changes across resends. */
export type Pending = { clientId: string; body: string; note: boolean; state: "sending" | "failed"; error?: string; attempts?: number };

export function newClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function emitWithAck<T>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (socket.timeout(timeoutMs).emit as (e: string, p: unknown, ack: (err: Error | null, r: Ack<T>) => void) => void)(event, payload, (err, result) =>
      resolve(err ? { ok: false, error: "timeout", message: "" } : result),
    );
  });
}
