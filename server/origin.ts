/**
 * Which pages may send a state-changing request or open a socket: the public
 * address exactly (scheme, host and port), never a header the client sends.
 */
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

export interface OriginRule {
  /** PUBLIC_URL, the address people use. */
  publicUrl: string;
  isProduction: boolean;
  /** The port this request arrived on (the socket's, not the Host header's). */
  localPort: number | undefined;
}

export function isAllowedOrigin(origin: string | null | undefined, rule: OriginRule): boolean {
  if (!origin || origin === "null") return false;
  if (origin === new URL(rule.publicUrl).origin) return true;
  // Outside production, a browser on this machine may also name this process
  // by any loopback name of the port it listens on (the demo, tests, dev).
  if (rule.isProduction || !rule.localPort) return false;
  return LOOPBACK_HOSTS.some((host) => origin === `http://${host}:${rule.localPort}`);
}

/** A peer address on this machine: 127.0.0.0/8 or ::1, also as IPv4 mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, "");
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === "::1";
}
