import { test, expect, expectAccessible, logIn, newSession } from "./fixtures";

test("an admin makes a member a moderator on Team: the member's open tab reloads with Moderation in the main navigation", async ({ page, browser }) => {
  // member21 (Henry Pham) is used by no other spec: promoting them changes nobody else's test.
  const member = await newSession(browser, "member21@rapport.local");
  const memberNav = member.page.getByRole("navigation", { name: "Main" });
  await expect(memberNav.getByRole("link", { name: "Profile" })).toBeVisible();
  await expect(memberNav.getByRole("link", { name: "Moderation" })).toHaveCount(0);

  await logIn(page, "admin@rapport.local");
  await page.getByRole("navigation", { name: "Staff console" }).getByRole("link", { name: "Team", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Team", level: 1 })).toBeVisible();
  // The admin's own row offers no way to change their own role.
  await expect(page.getByRole("row").filter({ hasText: "admin@rapport.local" }).getByText("Another administrator changes your own role.")).toBeVisible();
  await expectAccessible(page);

  const form = page.getByRole("region", { name: "Give someone a role" });
  await form.getByLabel("Email address of their account").fill("nobody-here@rapport.local");
  await form.getByRole("button", { name: "Give role" }).click();
  await expect(form.getByRole("alert")).toHaveText("No account uses this email address. Ask them to sign up first.");
  await expect(form.getByLabel("Email address of their account")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Email address of their account").fill("member21@rapport.local");
  await form.getByLabel("Role").selectOption("moderator");
  await form.getByRole("button", { name: "Give role" }).click();
  await expect(page.getByRole("status")).toHaveText("Henry Pham is now Moderator. They were told, and their open pages reload.");
  const row = page.getByRole("row").filter({ hasText: "member21@rapport.local" });
  await expect(row.getByRole("cell", { name: "Moderator", exact: true })).toBeVisible();
  await expect(row.getByLabel("New role for Henry Pham")).toHaveValue("moderator");
  await expectAccessible(page);

  // Their socket was closed: the tab reloaded by itself under the new role.
  await expect(memberNav.getByRole("link", { name: "Moderation" })).toBeVisible();
  await memberNav.getByRole("link", { name: "Moderation" }).click();
  await expect(member.page.getByRole("heading", { name: "Review queue", level: 1 })).toBeVisible();
  await member.context.close();
});
