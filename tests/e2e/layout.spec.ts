import { test, expect, newSession } from "./fixtures";
import { ACCOUNTS } from "./site-map";

test("on a laptop, a member's record gives the relationship history the wide column, with tasks, stage and preferences beside it", async ({ browser }) => {
  const staff = await newSession(browser, ACCOUNTS.staff);
  const page = staff.page;
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto("/staff/members");
  await page.getByRole("rowheader").getByRole("link").first().click();
  const history = page.getByRole("region", { name: "Relationship history" });
  await expect(history).toBeVisible();
  const wide = (await history.boundingBox())!;
  expect(wide.width, "the history's width").toBeGreaterThanOrEqual(600);
  const tasks = (await page.getByRole("heading", { name: "Follow-up tasks" }).boundingBox())!;
  expect(tasks.x, "tasks sit to the right of the history").toBeGreaterThan(wide.x + wide.width);
  await staff.context.close();
});
