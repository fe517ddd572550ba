/**
 * A deleted account in stored post HTML (a mention of them, a quote of their
 * words) is this empty marker, never their old name or handle (ADR 013). The
 * page fills it with "Former member" in the reader's language, so one stored
 * post reads right in Vietnamese and in English.
 */
export const FORMER_MEMBER_MARKER = '<span class="mention mention--former"></span>';

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Stored post HTML with every former-member marker named: `label` is t("member.former"). */
export function nameFormerMembers(html: string, label: string) {
  if (!html.includes(FORMER_MEMBER_MARKER)) return html;
  return html.replaceAll(FORMER_MEMBER_MARKER, `<span class="mention mention--former">${label.replace(/[&<>"']/g, (c) => ESCAPES[c]!)}</span>`);
}

/** The marker in plain text (search snippets, excerpts): the object replacement character, named the same way. */
export const FORMER_MEMBER_IN_TEXT = "\uFFFC";

export function nameFormerMembersInText(text: string, label: string) {
  return text.replaceAll(FORMER_MEMBER_IN_TEXT, label);
}
