import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../app/modules/markdown/render.server.ts";

// Payloads from the OWASP XSS filter evasion cheat sheet and markdown-specific tricks.
const PAYLOADS = [
  "<script>alert(1)</script>",
  '<img src=x onerror=alert(1)>',
  "<svg/onload=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](java\tscript:alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](javascript:alert(1))",
  '![x](x" onerror="alert(1))',
  "[x](//evil.example)",
  "<iframe src=https://evil.example></iframe>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  "<<script>script>alert(1)<</script>/script>",
  "```html\n<script>alert(1)</script>\n```",
  "`<img src=x onerror=alert(1)>`",
  "[x](https://ok.example \"title\" onmouseover=alert(1))",
  "<details open ontoggle=alert(1)>",
];

/** Real tags only: escaped text such as "&lt;img onerror=…&gt;" is harmless. */
const tags = (html: string) => html.match(/<[a-zA-Z][^>]*>/g) ?? [];

describe("markdown is safe against XSS payloads", () => {
  for (const payload of PAYLOADS) {
    it(`neutralizes ${JSON.stringify(payload).slice(0, 60)}`, () => {
      const { html } = renderMarkdown(payload);
      expect(html).not.toMatch(/<(script|iframe|svg|details|div|img(?![^>]*src="\/uploads\/))[\s>/]/i);
      expect(tags(html).filter((tag) => /\son\w+\s*=/i.test(tag))).toEqual([]);
      expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|vbscript|data):/i);
      expect(html).not.toMatch(/href="\/\//);
      const chat = renderMarkdown(payload, "chat").html;
      expect(chat).not.toMatch(/<(script|iframe|svg|img)[\s>/]/i);
      expect(tags(chat).filter((tag) => /\son\w+\s*=/i.test(tag))).toEqual([]);
    });
  }
});
