/** "Email me only Mon–Fri 08:00–20:00, my time": when an announcement's mail may reach a member. */
import { describe, expect, it } from "vitest";
import { ContactHoursSchema, nextContactOpening, weekdayRuns, windowOf } from "../../../app/modules/members/contact-hours.ts";

const weekdays = { weekdays: [1, 2, 3, 4, 5], fromMinute: 8 * 60, toMinute: 20 * 60 };
const at = (iso: string) => new Date(iso);
const next = (iso: string, window: typeof weekdays | null, zone: string) => nextContactOpening(at(iso), window, zone)?.toISOString() ?? "now";

describe("the next time a member's contact hours open", () => {
  it("a member without hours may be mailed at any time", () => {
    expect(next("2026-12-12T19:00:00Z", null, "Asia/Ho_Chi_Minh")).toBe("now");
  });

  it("inside the window (Tuesday 10:00 in Hanoi) the mail goes now", () => {
    expect(next("2026-12-08T03:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("now");
  });

  it("before the window opens it waits for 08:00 the same day, their time", () => {
    expect(next("2026-12-08T00:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-08T01:00:00.000Z");
  });

  it("the window's end is closed: at 20:00 it waits for tomorrow's 08:00", () => {
    expect(next("2026-12-08T13:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-09T01:00:00.000Z");
    expect(next("2026-12-08T12:59:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("now");
  });

  it("reads the member's day, not UTC's: 18:00 UTC on Tuesday is 01:00 on Wednesday in Hanoi", () => {
    expect(next("2026-12-08T18:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-09T01:00:00.000Z");
  });

  it("Friday evening and the weekend wait for Monday morning", () => {
    expect(next("2026-12-11T14:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-14T01:00:00.000Z");
    expect(next("2026-12-12T05:00:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-14T01:00:00.000Z");
    expect(next("2026-12-13T16:59:00Z", weekdays, "Asia/Ho_Chi_Minh")).toBe("2026-12-14T01:00:00.000Z");
  });

  it("a weekend-only window missed on Sunday waits six days, for Saturday", () => {
    const weekend = { weekdays: [6, 7], fromMinute: 10 * 60, toMinute: 12 * 60 };
    expect(next("2026-12-13T05:30:00Z", weekend, "Asia/Ho_Chi_Minh")).toBe("2026-12-19T03:00:00.000Z");
    expect(next("2026-12-12T03:00:00Z", weekend, "Asia/Ho_Chi_Minh")).toBe("now");
  });

  it("in London 09:00 stays 09:00 across the change of clocks (BST ends 25 October, starts 29 March)", () => {
    const office = { weekdays: [1, 2, 3, 4, 5], fromMinute: 9 * 60, toMinute: 17 * 60 };
    // Friday 18:00 BST → Monday 09:00 GMT.
    expect(next("2026-10-23T17:00:00Z", office, "Europe/London")).toBe("2026-10-26T09:00:00.000Z");
    // Friday 18:00 GMT → Monday 09:00 BST.
    expect(next("2026-03-27T18:00:00Z", office, "Europe/London")).toBe("2026-03-30T08:00:00.000Z");
    // 08:30 UTC in summer is 09:30 BST: open; in winter it is 08:30 GMT: closed.
    expect(next("2026-07-01T08:30:00Z", office, "Europe/London")).toBe("now");
    expect(next("2026-12-09T08:30:00Z", office, "Europe/London")).toBe("2026-12-09T09:00:00.000Z");
  });
});

describe("the contact-hours form", () => {
  const errors = (input: unknown) => {
    const parsed = ContactHoursSchema.safeParse(input);
    return parsed.success ? {} : parsed.error.flatten().fieldErrors;
  };

  it("accepts any time, and weekdays with a window", () => {
    expect(errors({ mode: "any" })).toEqual({});
    const input = ContactHoursSchema.parse({ mode: "window", weekdays: ["5", "1", "1"], from: "08:00", to: "20:00" });
    expect(windowOf(input)).toEqual({ weekdays: [1, 5], fromMinute: 480, toMinute: 1200 });
    expect(windowOf(ContactHoursSchema.parse({ mode: "any", weekdays: [1], from: "x" }))).toBeNull();
  });

  it("refuses a window that ends before it starts, no weekday, or a time that is not one", () => {
    expect(errors({ mode: "window", weekdays: [1], from: "20:00", to: "08:00" })).toEqual({ to: ["contactHours.toNotAfterFrom"] });
    expect(errors({ mode: "window", weekdays: [1], from: "09:00", to: "09:00" })).toEqual({ to: ["contactHours.toNotAfterFrom"] });
    expect(errors({ mode: "window", from: "08:00", to: "20:00" })).toEqual({ weekdays: ["contactHours.noWeekday"] });
    expect(errors({ mode: "window", weekdays: [1], from: "25:00", to: "" })).toEqual({ from: ["contactHours.timeInvalid"], to: ["contactHours.timeInvalid"] });
  });

  it("reads weekdays as runs: Mon–Fri and Sun", () => {
    expect(weekdayRuns([7, 1, 2, 3, 4, 5])).toEqual([[1, 5], [7, 7]]);
    expect(weekdayRuns([1, 3])).toEqual([[1, 1], [3, 3]]);
  });
});
