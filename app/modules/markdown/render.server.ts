/**
 * The one markdown renderer (forums, reviews, ideas, comments, chat).
 * markdown-it with html:false, so user HTML is shown as text; links are
 * filtered to http(s)/mailto and get rel="nofollow ugc noopener"; images are
 * allowed only from our own uploads; code is highlighted here, on the server.
 * Stored HTML carries RENDERER_VERSION so it can be re-rendered when this changes.
 */
import MarkdownIt from "markdown-it";
import hljs from "highlight.js/lib/common";

export const RENDERER_VERSION = 1;

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

/** Renders user markdown to HTML that is safe to insert as is. */
export function renderMarkdown(source: string, mode: "full" | "chat" = "full"): Rendered {
  return { html: (mode === "chat" ? chat : full).render(source), rendererVersion: RENDERER_VERSION };
}

/** Plain text for previews, notifications and search snippets. */
export function markdownToText(source: string, maxLength = 200) {
  const text = full
    .render(source)
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
