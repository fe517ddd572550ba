/** Calendar days in a time zone: what "today", "overdue" and "08:00 on the due day" rest on. */
import { describe, expect, it } from "vitest";
import { addDays, calendarDay, daysBetween, isCalendarDay, usableTimeZone, zonedInstant } from "../../../app/modules/console/calendar.ts";

describe("calendar days in a time zone", () => {
  it("one instant is a different day in Hanoi and in Los Angeles", () => {
    const instant = new Date("2026-11-23T20:00:00Z");
    expect(calendarDay(instant, "Asia/Ho_Chi_Minh")).toBe("2026-11-24");
    expect(calendarDay(instant, "America/Los_Angeles")).toBe("2026-11-23");
  });

  it("finds 08:00 on a day, also on the days daylight saving starts and ends", () => {
    expect(zonedInstant("2026-11-24", 8, 0, "Asia/Ho_Chi_Minh").toISOString()).toBe("2026-11-24T01:00:00.000Z");
    // London: BST ends on 25 October 2026 at 02:00, starts on 29 March 2026 at 01:00.
    expect(zonedInstant("2026-10-25", 8, 0, "Europe/London").toISOString()).toBe("2026-10-25T08:00:00.000Z");
    expect(zonedInstant("2026-10-24", 8, 0, "Europe/London").toISOString()).toBe("2026-10-24T07:00:00.000Z");
    expect(zonedInstant("2026-03-29", 8, 0, "Europe/London").toISOString()).toBe("2026-03-29T07:00:00.000Z");
    // New York springs forward at 02:00 on 8 March 2026: midnight is still EST.
    expect(zonedInstant("2026-03-08", 0, 0, "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(zonedInstant("2026-03-08", 8, 0, "America/New_York").toISOString()).toBe("2026-03-08T12:00:00.000Z");
  });

  it("counts and moves days across months and leap years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-11-20", "2026-11-23")).toBe(3);
    expect(daysBetween("2026-11-23", "2026-11-20")).toBe(-3);
  });

  it("accepts only real days, and falls back to Vietnam for an unknown zone", () => {
    expect(isCalendarDay("2028-02-29")).toBe(true);
    for (const bad of ["2026-02-29", "2026-13-01", "2026-1-5", "tomorrow", "", "2026-11-23T00:00"]) expect(isCalendarDay(bad), bad).toBe(false);
    expect(usableTimeZone("Mars/Olympus_Mons")).toBe("Asia/Ho_Chi_Minh");
    expect(usableTimeZone("Europe/London")).toBe("Europe/London");
  });
});
