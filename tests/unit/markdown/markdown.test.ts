import { describe, expect, it } from "vitest";
import { markdownToText, mentionCandidates, renderMarkdown, RENDERER_VERSION } from "../../../app/modules/markdown/render.server.ts";
import { mentionQueryAt } from "../../../app/components/mention-autocomplete.ts";

describe("the markdown renderer keeps members safe", () => {
  it("shows raw HTML as text instead of running it", () => {
    const { html } = renderMarkdown('<script>alert(1)</script><img src=x onerror="alert(2)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("refuses javascript: and data: links", () => {
    const { html } = renderMarkdown("[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com)");
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/href="data:/i);
    expect(html).toContain('href="https://example.com"');
  });

  it("marks outside links nofollow ugc noopener, including linkified bare URLs", () => {
    const { html } = renderMarkdown("See https://example.org/docs for more");
    expect(html).toContain('<a href="https://example.org/docs" rel="nofollow ugc noopener" target="_blank">');
  });

  it("embeds images only from our own uploads", () => {
    const own = renderMarkdown("![photo](/uploads/posts/abc-123.webp)").html;
    expect(own).toContain('<img src="/uploads/posts/abc-123.webp"');
    const foreign = renderMarkdown("![pixel](https://tracker.example/p.png)").html;
    expect(foreign).not.toContain("<img");
    expect(foreign).toContain('href="https://tracker.example/p.png"');
  });

  it("highlights code on the server and escapes unknown languages", () => {
    const ts = renderMarkdown("```ts\nconst a: number = 1;\n```").html;
    expect(ts).toContain('class="hljs language-ts"');
    expect(ts).toContain("hljs-keyword");
    const unknown = renderMarkdown("```nosuchlang\n<b>x</b>\n```").html;
    expect(unknown).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("chat mode keeps emphasis and links but drops headings and images", () => {
    const { html } = renderMarkdown("# Big\n**bold** ![x](/uploads/a.png)\nnext line", "chat");
    expect(html).not.toContain("<h1");
    expect(html).not.toContain("<img");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<br>");
  });

  it("records the renderer version with the output", () => {
    expect(renderMarkdown("hi").rendererVersion).toBe(RENDERER_VERSION);
  });

  it("turns markdown into a short plain-text preview", () => {
    expect(markdownToText("**Xin chào** các bạn, [liên kết](https://a.vn)")).toBe("Xin chào các bạn, liên kết");
    expect(markdownToText("a".repeat(300), 10)).toHaveLength(10);
  });
});

describe("@mentions", () => {
  it("links known handles only, case-insensitively, never inside words, code or links", () => {
    const source = "Hi @Mai, @bob and a@mai.vn; `@mai` [@mai](/x) (@mai) @mai.";
    expect(mentionCandidates(source)).toEqual(["mai", "bob"]);
    const html = renderMarkdown(source, "full", { mentions: ["mai"] }).html;
    expect(html.match(/class="mention"/g)).toHaveLength(3);
    expect(html).toContain('Hi <a href="/community/u/mai" class="mention">@mai</a>,');
    expect(html).toContain("@bob");
    expect(html).toContain("<code>@mai</code>");
    expect(html).toContain('<a href="/x">@mai</a>');
  });

  it("chat mode does not link mentions", () => {
    expect(renderMarkdown("@mai", "chat", { mentions: ["mai"] }).html).not.toContain("mention");
  });
});

describe("the composer's @ trigger", () => {
  it("reads the handle being typed just before the caret", () => {
    expect(mentionQueryAt("Thanks @ma", 10)).toEqual({ query: "ma", start: 7 });
    expect(mentionQueryAt("(@Châu", 6)).toEqual({ query: "Châu", start: 1 });
    expect(mentionQueryAt("mail a@b", 8)).toBeNull();
    expect(mentionQueryAt("@mai done", 9)).toBeNull();
    expect(mentionQueryAt("just @", 6)).toBeNull();
  });
});
