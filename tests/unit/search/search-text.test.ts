import { describe, expect, it } from "vitest";
import { fold, highlight, htmlToText, parseQuery, snippet, toneQuery, toneToken, toneTokens, withinOneEdit } from "../../../app/modules/search/text.ts";

describe("search text", () => {
  it("folds Vietnamese tones, marks and đ, as the database does", () => {
    expect(fold("Đà Nẵng")).toBe("da nang");
    expect(fold("Khách hàng")).toBe("khach hang");
    expect(fold("Khách hàng".normalize("NFD"))).toBe("khach hang");
  });

  it("counts one edit: insert, delete, substitute, swap of neighbours", () => {
    expect(withinOneEdit("warranty", "warrenty")).toBe(true);
    expect(withinOneEdit("espresso", "espreso")).toBe(true);
    expect(withinOneEdit("khach", "khahc")).toBe(true);
    expect(withinOneEdit("khach", "kkhach")).toBe(true);
    expect(withinOneEdit("warranty", "wxrrxnty")).toBe(false);
  });

  it("keeps the syllables typed with marks for the exact-tone ranking, and quoted phrases", () => {
    expect(parseQuery('con dế "khách hàng"')).toEqual({ folded: ["con", "de", "khach", "hang"], marked: ["dế", "khách", "hàng"], phrases: [["khach", "hang"]] });
  });

  it("marks matching words as segments, never as HTML", () => {

    const segments = highlight("<img src=x onerror=alert(1)> khách hàng", ["khach"]);
    expect(segments.filter((s) => s.mark).map((s) => s.text)).toEqual(["khách"]);
    expect(segments.map((s) => s.text).join("")).toBe("<img src=x onerror=alert(1)> khách hàng");
  });

  it("cuts a snippet around the first match", () => {
    const long = `${"mở đầu ".repeat(60)}bảo hành mở rộng${" kết thúc".repeat(60)}`;
    const s = snippet(long, ["bao", "hanh"], 120);
    expect(s[0]).toEqual({ text: "…" });
    expect(s.at(-1)).toEqual({ text: "…" });
    expect(s.filter((x) => x.mark).map((x) => x.text)).toEqual(["bảo", "hành"]);
  });

  it("turns rendered HTML into plain text", () => {
    expect(htmlToText("<p>A &amp; B</p><p>&lt;tag&gt; x</p>")).toBe("A & B\n<tag> x");
  });
  it("gives every tone of a syllable its own token, none a prefix of another (Meilisearch's exact-tone field)", () => {
    const forms = ["ma", "mà", "má", "mã", "mả", "mạ", "mâ", "mấ", "mă", "mắ", "mơ", "mớ", "mư", "mự"];
    const tokens = forms.map(toneToken);
    expect(tokens[0]).toBeNull(); // no marks, nothing to rank on
    const marked = tokens.slice(1) as string[];
    expect(new Set(marked).size).toBe(marked.length);
    for (const a of marked) for (const b of marked) if (a !== b) expect(b.startsWith(a)).toBe(false);
    expect(toneToken("dế")).not.toBe(toneToken("dê"));
    expect(toneToken("đa")).not.toBe(toneToken("da"));
    expect(toneToken("Đà")).toBe(toneToken("đà"));
    // Composed or decomposed input, the same token; only ASCII letters and digits, so no engine splits it.
    expect(toneToken("dế".normalize("NFD"))).toBe(toneToken("dế"));
    expect(toneToken("nguyễn")).toMatch(/^[a-z0-9]+$/);
  });

  it("writes the tone field and the tone query from the same tokens", () => {
    expect(toneTokens("Con dế kêu, con dế hát")).toBe([toneToken("dế"), toneToken("kêu"), toneToken("hát")].join(" "));
    expect(toneQuery('con dế "bảo hành"')).toBe(`con ${toneToken("dế")} "${toneToken("bảo")} ${toneToken("hành")}"`);
    expect(toneQuery("khach hang")).toBe("khach hang");
  });
});
