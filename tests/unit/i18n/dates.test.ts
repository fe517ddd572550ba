import { describe, expect, it } from "vitest";
import { dateFormat } from "../../../app/i18n/dates.ts";
import { translator } from "../../../app/i18n/translate.ts";
import { localizeStoredVars } from "../../../app/i18n/stored-vars.ts";
import { describeTouchpoint } from "../../../app/components/timeline.tsx";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { resolveTimeZone } from "../../../server/http.ts";

// 20:30 UTC on 9 December is already 10 December in Hanoi, still 9 December in New York.
const AT = "2026-12-09T20:30:05Z";
const HANOI = "Asia/Ho_Chi_Minh";

describe("dates are written one way, in the reader's language and zone", () => {
  it("writes a date, a date with time, a time and a log time in English", () => {
    const dates = dateFormat("en", HANOI);
    expect(dates.date(AT)).toBe("10 Dec 2026");
    expect(dates.dateTime(AT)).toBe("10 Dec 2026, 03:30");
    expect(dates.time(AT)).toBe("03:30");
    expect(dates.format(AT, "precise")).toBe("10 Dec 2026, 03:30:05");
  });

  it("writes the same instant in Vietnamese", () => {
    const dates = dateFormat("vi", HANOI);
    expect(dates.date(AT)).toBe("10 thg 12, 2026");
    expect(dates.dateTime(AT)).toBe("03:30 10 thg 12, 2026");
    expect(dates.time(AT)).toBe("03:30");
  });

  it("puts an instant on the reader's day, whatever zone the server runs in", () => {
    expect(dateFormat("en", "America/New_York").dateTime(AT)).toBe("9 Dec 2026, 15:30");
    expect(dateFormat("en", HANOI).date(new Date(AT))).toBe(dateFormat("en", HANOI).date(Date.parse(AT)));
  });

  it("never moves a calendar day (a task's due day) to another day, in any zone", () => {
    for (const zone of [HANOI, "America/Los_Angeles", "Pacific/Kiritimati"]) {
      expect(dateFormat("en", zone).day("2026-12-10")).toBe("10 Dec 2026");
      expect(dateFormat("vi", zone).day("2026-12-10")).toBe("10 thg 12, 2026");
      expect(dateFormat("en", zone).day("2026-12-10", "dayMonth")).toBe("10/12");
    }
  });

  it("writes an announcement's 'each member's own time' in the one date format, never as 2026-12-10T09:00, in any zone", () => {
    for (const zone of [HANOI, "America/Los_Angeles"]) {
      expect(dateFormat("en", zone).wall("2026-12-10T09:00")).toBe("10 Dec 2026, 09:00");
      expect(dateFormat("vi", zone).wall("2026-12-10T09:00")).toBe(dateFormat("vi", "UTC").dateTime("2026-12-10T09:00:00Z"));
    }
  });

  it("writes the days stored with touchpoints and notifications as dates, never as 2026-12-10", () => {
    const en = dateFormat("en", HANOI);
    const task = { kind: "task.created", data: { title: "Call back", assignee: "Lan", dueOn: "2026-12-10" } };
    expect(describeTouchpoint(translator("en"), task, en)).toBe("Follow-up task “Call back” for Lan, due 10 Dec 2026");
    expect(describeTouchpoint(translator("vi"), task, dateFormat("vi", HANOI))).toBe("Việc cần theo dõi “Call back” giao cho Lan, hạn 10 thg 12, 2026");
    expect(localizeStoredVars(translator("en"), en, { until: AT }, {}).until).toBe("until 10 Dec 2026, 03:30");
  });

  it("writes an email's suspension end in the recipient's zone", () => {
    const data = { variant: "suspended", until: AT, reason: "Spam" };
    expect(renderNotification("en", "account.standing", data, "America/New_York")).toBe("Your account is suspended until 9 Dec 2026, 15:30. Reason: Spam");
    expect(renderNotification("en", "account.standing", data, HANOI)).toBe("Your account is suspended until 10 Dec 2026, 03:30. Reason: Spam");
  });

  it("reads the zone from the account, then the browser's cookie, then the install's default", () => {
    expect(resolveTimeZone("Europe/Paris", "America/New_York")).toBe("Europe/Paris");
    expect(resolveTimeZone(null, "America/New_York")).toBe("America/New_York");
    expect(resolveTimeZone(null, "Not/AZone")).toBe(HANOI);
    expect(resolveTimeZone("Bad/Zone", null)).toBe(HANOI);
  });
});

describe("stored product names are read in the reader's language", () => {
  const owned = { kind: "product.owner_recorded", data: { product: "Áo mưa siêu nhẹ", productEn: "Ultralight rain jacket", link: "/products/ao-mua-sieu-nhe" } };

  it("gives an English reader the English name and a Vietnamese reader the Vietnamese one", () => {
    expect(describeTouchpoint(translator("en"), owned, dateFormat("en", HANOI))).toBe("Recorded as an owner of Ultralight rain jacket");
    expect(describeTouchpoint(translator("vi"), owned, dateFormat("vi", HANOI))).toBe("Được ghi nhận là người sở hữu Áo mưa siêu nhẹ");
  });

  it("keeps the name it has when a row has no English one", () => {
    const old = { ...owned, data: { product: "Áo mưa siêu nhẹ", productEn: "" } };
    expect(describeTouchpoint(translator("en"), old, dateFormat("en", HANOI))).toBe("Recorded as an owner of Áo mưa siêu nhẹ");
  });
});
