import { FORMER_MEMBER_IN_TEXT, FORMER_MEMBER_MARKER } from "./former-member";

/** Plain text of rendered HTML (documents store text, never markup). */
export function htmlToText(html: string) {
  return html
    // A deleted member keeps a place in the text, which the page names (ADR 013).
    .replaceAll(FORMER_MEMBER_MARKER, FORMER_MEMBER_IN_TEXT)
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d|blockquote|pre|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim()
    .normalize("NFC");
}
