import { describe, expect, it } from "vitest";
import { renderForMember } from "~/modules/announcements/render.server";

const content = {
  titleVi: "Ưu đãi cho {{member.firstName}}",
  titleEn: "Offers for {{member.firstName}}",
  bodyVi: "",
  bodyEn: "See [your offers](https://shop.example/profile/offers?a=1&b=2) or https://shop.example/help.",
};
const member = { displayName: "Nguyễn Văn Châu", locale: "vi", accountManager: { displayName: "Mai" } };

describe("a member's copy of an announcement", () => {
  it("falls back to the other language when theirs is empty, and fills their name", () => {
    const copy = renderForMember(content, member);
    expect(copy.lang).toBe("en");
    expect(copy.title).toBe("Offers for Châu");
  });

  it("keeps each link's address in the plain-text part, the tracked one when links are tracked", () => {
    const copy = renderForMember(content, member, (url) => `https://rapport.example/announcements/go?to=${encodeURIComponent(url)}`);
    const tracked = `https://rapport.example/announcements/go?to=${encodeURIComponent("https://shop.example/profile/offers?a=1&b=2")}`;
    expect(copy.text).toContain(`your offers <${tracked}>`);
    expect(copy.html).toContain(tracked.replace(/&/g, "&amp;"));
    // A bare address is written once, not twice.
    expect(copy.text.match(/help/g)).toHaveLength(1);
  });

  it("untracked (a preview or the sender's test) keeps the original addresses", () => {
    expect(renderForMember(content, member).text).toContain("your offers <https://shop.example/profile/offers?a=1&b=2>");
  });
});
