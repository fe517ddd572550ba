/**
 * One announcement as one member reads it: their language (or the other when theirs is empty),
 * the variables filled with their facts (escaped, so a name cannot add markdown), rendered by the
 * one markdown renderer. Also the signed tokens its mail carries.
 */
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { htmlToPlainText, renderMarkdown } from "../markdown/render.server";
import { hmac, safeEqual } from "../tokens.server";
import { ANNOUNCEMENT_TOPICS, type AnnouncementTopic } from "./schema";

export const ANNOUNCEMENT_START = "announcement.start";
export const ANNOUNCEMENT_BATCH = "announcement.batch";

export type Content = { titleVi: string; titleEn: string; bodyVi: string; bodyEn: string };

const RECIPIENT_SELECT = {
  id: true,
  email: true,
  displayName: true,
  locale: true,
  timezone: true,
  contactHours: true,
  deletedAt: true,
  accountManager: { select: { displayName: true } },
  contactWindow: { select: { weekdays: true, fromMinute: true, toMinute: true } },
} as const;

export async function recipientFacts(db: Db | Tx, memberId: string) {
  return db.user.findUnique({ where: { id: memberId }, select: RECIPIENT_SELECT });
}

/** The same facts for a batch of members, in one query. */
export async function recipientsFacts(db: Db | Tx, memberIds: string[]) {
  return db.user.findMany({ where: { id: { in: memberIds } }, select: RECIPIENT_SELECT });
}
export type Recipient = NonNullable<Awaited<ReturnType<typeof recipientFacts>>>;

/**
 * The given name: Vietnamese names put it last ("Nguyễn Thị Mai" → Mai), names written the
 * English way first ("Anna Tran" → Anna). The member's language is the best hint we have.
 */
export function firstName(displayName: string, locale: string) {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "";
  return locale === "vi" ? words.at(-1)! : words[0]!;
}

/** Every character markdown could read as syntax, backslash-escaped. */
export function escapeMarkdown(value: string) {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, "\\$&");
}

const VARIABLE = /\{\{\s*(member\.firstName|member\.name|manager\.name)\s*\}\}/g;

export function fillVariables(source: string, member: Pick<Recipient, "displayName" | "locale" | "accountManager">, escape: (v: string) => string) {
  const values: Record<string, string> = {
    "member.firstName": firstName(member.displayName, member.locale),
    "member.name": member.displayName,
    "manager.name": member.accountManager?.displayName ?? "",
  };
  return source.replace(VARIABLE, (_all, name: string) => escape(values[name] ?? ""));
}

/** The member's language when it has content, else the other one. */
export function pickLanguage(content: Content, locale: string): "vi" | "en" {
  const wanted = locale === "en" ? "en" : "vi";
  const other = wanted === "en" ? "vi" : "en";
  const has = (lang: "vi" | "en") => !!(lang === "vi" ? content.bodyVi : content.bodyEn);
  return has(wanted) ? wanted : other;
}

/**
 * `track` turns each web link into the address that records the click first (a signed redirect:
 * no tracking pixel); without it the links are left as they are (previews, the sender's test).
 */
export function renderForMember(content: Content, member: Pick<Recipient, "displayName" | "locale" | "accountManager">, track?: (url: string) => string) {
  const lang = pickLanguage(content, member.locale);
  const title = fillVariables(lang === "vi" ? content.titleVi : content.titleEn, member, (v) => v);
  const body = fillVariables(lang === "vi" ? content.bodyVi : content.bodyEn, member, escapeMarkdown);
  const rendered = renderMarkdown(body).html;
  const html = track ? trackLinks(rendered, track) : rendered;
  return { lang, title, html, text: htmlToPlainText(html, { links: true }) };
}

const unescapeAttr = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const escapeAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The renderer writes every link as href="…" (http, https or mailto only): the web ones are rewritten. */
export function trackLinks(html: string, track: (url: string) => string) {
  return html.replace(/href="(https?:\/\/[^"]*)"/g, (_all, href: string) => `href="${escapeAttr(track(unescapeAttr(href)))}"`);
}

// ——— Signed tokens: they work without a log-in, so they carry whose and which, and a signature. ———

function sign(secret: string, purpose: string, payload: object) {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${hmac(secret, `${purpose}:${body}`)}`;
}

function verify(secret: string, purpose: string, token: string): Record<string, unknown> | null {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined || !safeEqual(signature, hmac(secret, `${purpose}:${body}`))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** One click in the mail withdraws the member's consent to the announcement's topic. Repeating it changes nothing. */
export function createTopicUnsubscribeToken(secret: string, memberId: string, announcementId: string, topic: AnnouncementTopic) {
  return sign(secret, "announcement-unsubscribe", { u: memberId, a: announcementId, t: topic });
}

export function readTopicUnsubscribeToken(secret: string, token: string) {
  const p = verify(secret, "announcement-unsubscribe", token);
  if (!p || typeof p.u !== "string" || typeof p.a !== "string" || typeof p.t !== "string") return null;
  if (!(ANNOUNCEMENT_TOPICS as readonly string[]).includes(p.t)) return null;
  return { memberId: p.u, announcementId: p.a, topic: p.t as AnnouncementTopic };
}

/** A link in one member's copy: whose, which announcement, where to. */
export function createClickToken(secret: string, memberId: string, announcementId: string, url: string) {
  return sign(secret, "announcement-click", { u: memberId, a: announcementId, l: url });
}

export function readClickToken(secret: string, token: string) {
  const p = verify(secret, "announcement-click", token);
  if (!p || typeof p.u !== "string" || typeof p.a !== "string" || typeof p.l !== "string" || !/^https?:\/\//.test(p.l)) return null;
  return { memberId: p.u, announcementId: p.a, url: p.l };
}

export const clickAddress = (base: string, secret: string, memberId: string, announcementId: string) => (url: string) =>
  `${base}/announcements/go?token=${encodeURIComponent(createClickToken(secret, memberId, announcementId, url))}`;
