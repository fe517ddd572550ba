import { describe, expect, it } from "vitest";
import { cannedValues, expandCanned, givenName, unknownVariables } from "../../../app/modules/chat/canned.ts";
import { replyTimeKey } from "../../../app/modules/chat/presence.ts";
import { catchUpTracker } from "../../../app/modules/chat/catch-up.ts";

describe("canned replies", () => {
  it("addresses Vietnamese names by the given name (last) and others by the first word", () => {
    expect(givenName("Phạm Minh Châu")).toBe("Châu");
    expect(givenName("  nguyễn   thị mai ")).toBe("mai");
    expect(givenName("Emily Nguyen")).toBe("Emily");
    expect(givenName("Đặng Thu Thảo")).toBe("Thảo");
    expect(givenName("Madonna")).toBe("Madonna");
    expect(givenName("")).toBe("");
    // Decomposed input (as some keyboards send it) is read the same way.
    expect(givenName("Trần Quốc Bảo".normalize("NFD"))).toBe("Bảo");
  });

  it("fills in known variables, tolerates spaces inside the braces, and leaves unknown ones as typed", () => {
    const values = cannedValues({ displayName: "Phạm Minh Châu", company: null }, { displayName: "Nguyễn Thị Mai" });
    expect(expandCanned("Chào {{member.firstName}}, em là {{ agent.firstName }} ({{agent.name}}).", values)).toBe("Chào Châu, em là Mai (Nguyễn Thị Mai).");
    expect(expandCanned("{{member.company}}|{{member.nickname}}", values)).toBe("|{{member.nickname}}");
  });

  it("names the unknown variables once each, so saving can refuse them", () => {
    expect(unknownVariables("Hi {{member.firstName}} {{member.nick}} {{ member.nick }} {{foo.bar}}")).toEqual(["member.nick", "foo.bar"]);
    expect(unknownVariables("No variables, {single} braces")).toEqual([]);
  });
});

describe("usually replies within …", () => {
  it("rounds the median wait the way people promise", () => {
    expect(replyTimeKey(0)).toBe("chat.replies.minutes");
    expect(replyTimeKey(300)).toBe("chat.replies.minutes");
    expect(replyTimeKey(301)).toBe("chat.replies.quarter");
    expect(replyTimeKey(3_600)).toBe("chat.replies.hour");
    expect(replyTimeKey(3 * 3_600)).toBe("chat.replies.hours");
    expect(replyTimeKey(20 * 3_600)).toBe("chat.replies.day");
    expect(replyTimeKey(3 * 86_400)).toBe("chat.replies.days");
  });
});

describe("where a chat client resumes after a reconnect", () => {
  it("never past a message it has not seen, even when live messages arrive out of order", () => {
    const tracker = catchUpTracker();
    tracker.add([1, 2, 3], 3);
    // 5 was committed, 6 emitted first; the connection drops before 5 arrives.
    tracker.add([6]);
    expect(tracker.resumeAfter).toBe(3);
    // The catch-up page after 3 brings 4, 5 and 6: everything up to 6 is vouched for.
    tracker.add([4, 5, 6], 6);
    expect(tracker.resumeAfter).toBe(6);
    // Contiguous live messages move it on; a member's view skips a note's seq only when the server vouches.
    tracker.add([7]);
    tracker.add([9]);
    expect(tracker.resumeAfter).toBe(7);
    tracker.add([9], 9);
    expect(tracker.resumeAfter).toBe(9);
  });
});
