/** Chat day separators: which day a message falls on depends on where the reader is. */
import { describe, expect, it } from "vitest";
import { chatDayHeading, groupByDay } from "../../../app/utils/chat-days.ts";
import { translator } from "../../../app/i18n/translate.ts";

const at = (createdAt: string, id = createdAt) => ({ id, createdAt });

describe("chat messages grouped by day", () => {
  it("a message sent at 23:30 UTC is tomorrow's in Ho Chi Minh City and today's in London", () => {
    const messages = [at("2026-12-06T10:00:00Z"), at("2026-12-06T23:30:00Z")];
    expect(groupByDay(messages, "Asia/Ho_Chi_Minh").map((g) => [g.day, g.messages.length])).toEqual([
      ["2026-12-06", 1],
      ["2026-12-07", 1],
    ]);
    expect(groupByDay(messages, "Europe/London").map((g) => [g.day, g.messages.length])).toEqual([["2026-12-06", 2]]);
  });

  it("a message arriving after local midnight opens a new day, as the same list loaded later does", () => {
    const before = [at("2026-12-06T16:59:00Z")];
    const live = [...before, at("2026-12-06T17:01:00Z")];
    // 17:00 UTC is midnight in Ho Chi Minh City (UTC+7).
    expect(groupByDay(before, "Asia/Ho_Chi_Minh").map((g) => g.day)).toEqual(["2026-12-06"]);
    expect(groupByDay(live, "Asia/Ho_Chi_Minh").map((g) => g.day)).toEqual(["2026-12-06", "2026-12-07"]);
    expect(groupByDay([], "Asia/Ho_Chi_Minh")).toEqual([]);
  });

  it("heads days Today, Yesterday, then the date, in the reader's zone and language", () => {
    // 06:30 on 7 December in Ho Chi Minh City, still 6 December in Los Angeles.
    const now = new Date("2026-12-06T23:30:00Z");
    const en = { now, timeZone: "Asia/Ho_Chi_Minh", locale: "en" as const, t: translator("en") };
    expect(chatDayHeading("2026-12-07", en)).toBe("Today");
    expect(chatDayHeading("2026-12-06", en)).toBe("Yesterday");
    expect(chatDayHeading("2026-12-04", en)).toBe("Friday 4 December");
    expect(chatDayHeading("2025-12-31", en)).toBe("Wednesday, 31 December 2025");
    const la = { ...en, timeZone: "America/Los_Angeles" };
    expect(chatDayHeading("2026-12-06", la)).toBe("Today");
    expect(chatDayHeading("2026-12-05", la)).toBe("Yesterday");
    const vi = { ...en, locale: "vi" as const, t: translator("vi") };
    expect(chatDayHeading("2026-12-07", vi)).toBe("Hôm nay");
    expect(chatDayHeading("2026-12-06", vi)).toBe("Hôm qua");
    expect(chatDayHeading("2026-12-04", vi)).toMatch(/^Thứ Sáu, 4 tháng 12/);
  });

  it("yesterday is the calendar day before, also across a daylight-saving change and a new year", () => {
    // London falls back on 25 October 2026: that day has 25 hours.
    const london = { now: new Date("2026-10-26T00:30:00Z"), timeZone: "Europe/London", locale: "en" as const, t: translator("en") };
    expect(chatDayHeading("2026-10-25", london)).toBe("Yesterday");
    const newYear = { ...london, now: new Date("2027-01-01T08:00:00Z"), timeZone: "Asia/Ho_Chi_Minh" };
    expect(chatDayHeading("2026-12-31", newYear)).toBe("Yesterday");
    expect(chatDayHeading("2026-12-30", newYear)).toBe("Wednesday, 30 December 2026");
  });
});
