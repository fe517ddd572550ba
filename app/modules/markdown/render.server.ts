/**
 * The one markdown renderer (forums, reviews, ideas, comments, chat).
 * markdown-it with html:false, so user HTML is shown as text; links are
 * filtered to http(s)/mailto and get rel="nofollow ugc noopener"; images are
 * allowed only from our own uploads; code is highlighted here, on the server.
 * Stored HTML carries RENDERER_VERSION so it can be re-rendered when this changes.
 */
import MarkdownIt, { type StateCore, type Token } from "markdown-it";
import hljs from "highlight.js/lib/common";
import { FORMER_MEMBER_MARKER } from "./former-member";

// 2: @mentions of existing members become links.
// 3: @mentions of deleted accounts become a "former member" marker, named in the reader's language (ADR 013).
export const RENDERER_VERSION = 3;

/**
 * "@name" after a start, space or punctuation, never inside a word ("a@b"),
 * code or a link. The handle rules are in members/usernames.ts.
 */
const MENTION = /(^|[^A-Za-z0-9_@./:])@([A-Za-z0-9_]{3,20})(?![A-Za-z0-9_])/g;

type MentionEnv = {
  /** Usernames (lower case) that exist: only these become links. */
  mentions?: ReadonlySet<string>;
  /** The placeholder handles of deleted accounts: these become the former-member marker. */
  former?: ReadonlySet<string>;
  /** Filled with every candidate seen, for the caller to look up. */
  found?: Set<string>;
};

/** Turns @handles in text into links to the member's community page. */
function mentionRule(state: StateCore) {
  const env = state.env as MentionEnv;
  if (!env.mentions && !env.found) return;
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    let insideLink = 0;
    const out: Token[] = [];
    for (const token of block.children) {
      if (token.type === "link_open") insideLink++;
      if (token.type === "link_close") insideLink--;
      if (token.type !== "text" || insideLink > 0 || !token.content.includes("@")) {
        out.push(token);
        continue;
      }
      let last = 0;
      for (const match of token.content.matchAll(MENTION)) {
        const name = match[2]!.toLowerCase();
        env.found?.add(name);
        const former = env.former?.has(name) ?? false;
        if (!former && !env.mentions?.has(name)) continue;
        const at = match.index + match[1]!.length;
        if (at > last) out.push(textToken(state, token.content.slice(last, at)));
        if (former) {
          out.push(new state.Token("former_member", "", 0));
        } else {
          const open = new state.Token("link_open", "a", 1);
          open.attrs = [["href", `/community/u/${name}`], ["class", "mention"]];
          out.push(open, textToken(state, `@${name}`), new state.Token("link_close", "a", -1));
        }
        last = at + 1 + match[2]!.length;
      }
      out.push(last === 0 ? token : textToken(state, token.content.slice(last)));
    }
    block.children = out;
  }
}

function textToken(state: StateCore, content: string) {
  const token = new state.Token("text", "", 0);
  token.content = content;
  return token;
}

const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#)/i;
const OWN_IMAGE = /^\/uploads\/[a-z0-9/_-]+\.(png|jpe?g|webp)$/i;

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function build(mode: "full" | "chat") {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    typographer: false,
    breaks: mode === "chat",
    highlight(code, lang) {
      const language = lang && hljs.getLanguage(lang) ? lang : null;
      const body = language
        ? hljs.highlight(code, { language, ignoreIllegals: true }).value
        : escapeHtml(code);
      return `<pre class="code"><code class="hljs${language ? ` language-${escapeHtml(language)}` : ""}">${body}</code></pre>`;
    },
  });
  // markdown-it's own validateLink already refuses javascript:, vbscript:, file:
  // and most data: URLs; we narrow it further to an allow-list.
  md.validateLink = (url) => SAFE_LINK.test(url.trim()) || OWN_IMAGE.test(url.trim());

  if (mode === "chat") {
    // Chat is "markdown-lite": emphasis, code, links and lists; no headings, tables or images.
    md.disable(["heading", "lheading", "table", "image", "hr"]);
  } else {
    md.core.ruler.after("text_join", "mentions", mentionRule);
    // No name and no link: the page names them "Former member" in the reader's language.
    md.renderer.rules.former_member = () => FORMER_MEMBER_MARKER;
  }

  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = String(token.attrGet("href") ?? "");
    if (/^https?:/i.test(href)) {
      token.attrSet("rel", "nofollow ugc noopener");
      token.attrSet("target", "_blank");
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };

  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const src = String(token.attrGet("src") ?? "");
    // Images from anywhere else become a plain link: no tracking pixels, no mixed content.
    if (!OWN_IMAGE.test(src)) {
      const alt = token.content || src;
      return SAFE_LINK.test(src) ? `<a href="${escapeHtml(src)}" rel="nofollow ugc noopener" target="_blank">${escapeHtml(alt)}</a>` : escapeHtml(alt);
    }
    token.attrSet("loading", "lazy");
    return defaultImage(tokens, idx, options, env, self);
  };
  return md;
}

const full = build("full");
const chat = build("chat");

export interface Rendered {
  html: string;
  rendererVersion: number;
}

/**
 * Renders user markdown to HTML that is safe to insert as is. `mentions` are
 * the usernames that exist; other "@words" stay text.
 */
export function renderMarkdown(source: string, mode: "full" | "chat" = "full", options: { mentions?: Iterable<string>; former?: Iterable<string> } = {}): Rendered {
  const env: MentionEnv = { mentions: new Set(options.mentions ?? []), former: new Set(options.former ?? []) };
  return { html: (mode === "chat" ? chat : full).render(source, env), rendererVersion: RENDERER_VERSION };
}

/** The "@handles" written in a post (outside code and links), lower-cased, in order. */
export function mentionCandidates(source: string): string[] {
  const env: MentionEnv = { found: new Set() };
  full.parse(source, env);
  return [...env.found!];
}

/** Plain text for previews, notifications and search snippets, on one line. */
export function markdownToText(source: string, maxLength = 200) {
  const text = markdownToPlainText(source).replace(/\s+/g, " ").trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * Plain text that keeps its paragraphs, for email. The renderer ends every
 * block with a line break, so dropping the tags leaves words apart and
 * punctuation where it was ("in **June**." → "in June.").
 */
export function markdownToPlainText(source: string) {
  return htmlToPlainText(full.render(source));
}

/**
 * Rendered HTML as text. With `links`, a link keeps its address after its words ("our offers
 * <https://…>"): a mail's plain-text part is useless without it.
 */
export function htmlToPlainText(html: string, options: { links?: boolean } = {}) {
  const withLinks = options.links
    ? html.replace(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g, (_all, href: string, words: string) => {
        const text = words.replace(/<[^>]+>/g, "");
        // A bare address is written as the link's own (perhaps tracked) address, once.
        return /^(https?:|mailto:)/.test(text.trim()) ? href : `${words} &lt;${href}&gt;`;
      })
    : html;
  return withLinks
    .replace(/<\/(p|h[1-6]|blockquote|pre|ul|ol|table)>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
