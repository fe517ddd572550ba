import { test, expect, expectAccessibleInBothThemes, logIn } from "./fixtures";

test("staff read the dashboard for another range, as charts and as tables, in both themes", async ({ page }) => {
  await logIn(page, "staff1@rapport.local");
  await page.goto("/staff");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Community figures cover everyone; member figures cover the members you manage.")).toBeVisible();
  // The charts draw in the browser once the page has hydrated.
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("chart")).toHaveCount(4);

  const stages = page.getByRole("region", { name: /Members by relationship stage/ });
  await expect(stages.getByText("Your members")).toBeVisible();
  await stages.getByText("Show the data as a table").click();
  const rows = stages.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(8);
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Attract");
  await expect(rows.nth(7).getByRole("rowheader")).toHaveText("Loyal");

  await page.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("status").filter({ hasText: "(7 days)" })).toBeVisible();
  const forum = page.getByRole("region", { name: /New threads and replies per day/ });
  await forum.getByText("Show the data as a table").click();
  await expect(forum.getByRole("table").getByRole("row")).toHaveCount(8);

  // A reversed custom range is refused with a reason, keeping what was typed.
  await page.getByLabel("From", { exact: true }).fill("2026-11-20");
  await page.getByLabel("To", { exact: true }).fill("2026-11-02");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That range could not be used" })).toBeVisible();
  await expect(page.getByText("The last day must be on or after the first day.")).toBeVisible();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("2026-11-20");
  await expect(page.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await expectAccessibleInBothThemes(page);
});

test("staff complete an overdue task from My tasks", async ({ page }) => {
  await logIn(page, "staff1@rapport.local");
  await page.goto("/staff/tasks");
  await expect(page.getByRole("heading", { level: 1, name: "My tasks" })).toBeVisible();
  const overdue = page.getByRole("region", { name: /Overdue/ });
  const first = overdue.getByRole("listitem").first();
  await expect(first.getByText(/Overdue by \d+ day/)).toBeVisible();
  const title = (await first.locator(".task__title").textContent())!;
  const before = await overdue.getByRole("listitem").count();
  await expectAccessibleInBothThemes(page);

  await first.getByRole("button", { name: `Mark “${title}” done` }).click();
  await expect(overdue.getByRole("listitem")).toHaveCount(before - 1);
  const done = page.getByRole("region", { name: /Done in the last 7 days/ });
  await expect(done.getByRole("button", { name: `Reopen “${title}”` }).first()).toBeVisible();
});
