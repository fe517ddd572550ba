import { test, expect, expectAccessible, newSession } from "./fixtures";

test("staff find a member, read the timeline, add a note, set the stage, create a task, and see the member's new touchpoint arrive live", async ({ browser }) => {
  // member10 is looked after by staff1 in the demo data, and no other e2e test uses them.
  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/staff/members");
  await staff.page.getByLabel("Name, email or company").fill("member10@");
  await staff.page.getByRole("button", { name: "Filter", exact: true }).click();
  await expect(staff.page.getByText("Members matching: 1")).toBeVisible();
  await expectAccessible(staff.page);
  await staff.page.getByRole("rowheader").getByRole("link").click();
  await expect(staff.page.getByRole("heading", { name: "Relationship history" })).toBeVisible();
  const timeline = staff.page.getByTestId("member-timeline");
  await expect(timeline.locator("li").first()).toBeVisible();
  await expectAccessible(staff.page);

  // A private note.
  await staff.page.getByLabel("New note").fill("Prefers **calls after 3 pm**; ask about the spring catalogue.");
  await staff.page.getByRole("button", { name: "Add note" }).click();
  await expect(staff.page.locator(".note").filter({ hasText: "calls after 3 pm" })).toBeVisible();
  await expect(timeline.locator('[data-kind="staff.note_added"]').first()).toContainText("Staff note: Prefers");

  // The stage, with a reason; the history keeps it.
  await staff.page.getByLabel("Set the stage").selectOption("strengthen");
  await staff.page.getByLabel("Reason").fill("Third year of orders, joined the beta group");
  await staff.page.getByRole("button", { name: "Save stage" }).click();
  await expect(staff.page.getByRole("heading", { name: "Stage history" })).toBeVisible();
  await expect(staff.page.locator("li").filter({ hasText: "Third year of orders" }).first()).toBeVisible();

  // A follow-up task.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const newTask = staff.page.getByRole("form", { name: "New follow-up task" });
  await newTask.getByLabel("What needs doing").fill("Send the spring catalogue");
  await newTask.getByLabel("Due date").fill(tomorrow);
  await newTask.getByRole("button", { name: "Add task" }).click();
  await expect(staff.page.locator(".member-tasks").getByText("Send the spring catalogue")).toBeVisible();

  // The member writes in chat in another browser; the open page shows it without a reload.
  const member = await newSession(browser, "member10@rapport.local");
  await member.page.goto("/chat");
  await member.page.getByLabel("Your message").fill("Chào chị, em muốn hỏi về catalogue mùa xuân.");
  await member.page.getByLabel("Your message").press("Enter");
  await expect(member.page.locator(".chat__message").filter({ hasText: "catalogue mùa xuân" })).toBeVisible();
  await expect(timeline.locator('[data-kind="chat.session"]').first()).toContainText("Chat: 1 message,", { timeout: 10_000 });
  await Promise.all([member.context.close(), staff.context.close()]);
});

test("in English, a member's record names the member in what we remember, and the timeline names products in English", async ({ browser }) => {
  // member7 (staff1's) owns and reviewed the "Áo mưa siêu nhẹ" (Ultralight rain jacket) in the demo data.
  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/staff/members");
  await staff.page.getByLabel("Name, email or company").fill("member7@");
  await staff.page.getByRole("button", { name: "Filter", exact: true }).click();
  const row = staff.page.getByRole("rowheader").getByRole("link");
  await expect(row).toHaveCount(1);
  const name = (await row.textContent())!.trim();
  await row.click();
  await expect(staff.page.getByRole("heading", { name: `What we remember about ${name}` })).toBeVisible();
  await expect(staff.page.getByRole("heading", { name: "What we remember about you" })).toHaveCount(0);

  const timeline = staff.page.getByTestId("member-timeline");
  await expect(timeline.getByText(/Ultralight rain jacket/).first()).toBeVisible();
  await expect(timeline.getByText(/Áo mưa siêu nhẹ/)).toHaveCount(0);
  await staff.context.close();
});

test("a Loyal member's stage list starts on Loyal, so a careless save changes nothing; the suggestion is taken with its own button", async ({ browser }) => {
  // member30 is Loyal in the demo data, with too little recent activity for the rule to agree; no other e2e test uses them.
  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/staff/members?q=member30%40&manager=all");
  await admin.page.getByRole("rowheader").getByRole("link").click();
  const stages = admin.page.getByRole("list", { name: "The seven stages of the relationship" });
  await expect(stages.locator('[aria-current="step"]')).toContainText("Loyal");
  await expect(admin.page.getByLabel("Set the stage")).toHaveValue("loyal");
  await expectAccessible(admin.page);

  // Saving what the list shows keeps the member where they are.
  await admin.page.getByLabel("Reason").fill("Checked in by phone");
  await admin.page.getByRole("button", { name: "Save stage" }).click();
  await expect(admin.page.getByText("The member is already in this stage.")).toBeVisible();
  await expect(stages.locator('[aria-current="step"]')).toContainText("Loyal");

  // The suggestion, in one click.
  await admin.page.getByRole("button", { name: "Use the suggestion: Establish" }).click();
  await expect(stages.locator('[aria-current="step"]')).toContainText("Establish");
  await expect(admin.page.locator("li").filter({ hasText: "Loyal → Establish" }).filter({ hasText: "Checked in by phone" })).toBeVisible();
  // The form starts again from the new current stage, with an empty reason.
  await expect(admin.page.getByLabel("Set the stage")).toHaveValue("establish");
  await expect(admin.page.getByLabel("Reason")).toHaveValue("");
  await admin.context.close();
});
