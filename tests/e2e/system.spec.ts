import { test, expect, expectAccessible, expectAccessibleInBothThemes, logIn, overflow, PHONE } from "./fixtures";

test("an admin opens System health from the console: the database, search and mail, the outbox backlog and this instance, readable on a phone in both languages", async ({ page, baseURL }) => {
  await logIn(page, "admin@rapport.local");
  await page.getByRole("navigation", { name: "Staff console" }).getByRole("link", { name: "System", exact: true }).click();
  await expect(page.getByRole("heading", { name: "System health", level: 1 })).toBeVisible();

  // The e2e server runs the embedded database, PostgreSQL search and no mail server.
  const services = page.getByRole("region", { name: "Services" });
  await expect(services.getByRole("definition").filter({ hasText: "Embedded PostgreSQL (PGlite)" })).toContainText(/Answers in [\d.,]+ ms/);
  await expect(services.getByRole("definition").filter({ hasText: "PostgreSQL full-text search" })).toContainText(/Answers in [\d.,]+ ms/);
  await expect(services.getByText("No mail server set (SMTP_URL): mail is kept in the database")).toBeVisible();

  const outbox = page.getByRole("region", { name: "Outbox (side effects waiting to be delivered)" });
  for (const figure of ["Waiting", "Scheduled for later", "Failed for good"]) await expect(outbox.getByRole("term").filter({ hasText: figure })).toBeVisible();

  const instance = page.getByRole("region", { name: "This instance" });
  await expect(instance.getByRole("definition").first()).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(instance.getByText(/, up for \d/)).toBeVisible();
  await expect(instance.getByText(/^median [\d.,]+ ms, p99 [\d.,]+ ms, longest [\d.,]+ ms/)).toBeVisible();
  await expectAccessibleInBothThemes(page);

  await page.setViewportSize(PHONE);
  for (const lang of ["en", "vi"]) {
    await page.context().addCookies([{ name: "rapport_lang", value: lang, url: baseURL! }]);
    await page.reload();
    await expect(page.getByRole("heading", { name: lang === "en" ? "System health" : "Tình trạng hệ thống", level: 1 })).toBeVisible();
    await page.locator(".menu-toggle").waitFor({ state: "attached" });
    expect(await overflow(page), `/staff/system in ${lang} at ${PHONE.width}px`).toBeNull();
  }
  await expectAccessible(page, "/staff/system on a phone, in Vietnamese");
});

test("staff have no System link, and opening /staff/system gets them the 403 page other admin pages give", async ({ page }) => {
  await logIn(page, "staff2@rapport.local");
  const consoleNav = page.getByRole("navigation", { name: "Staff console" });
  await expect(consoleNav.getByRole("link", { name: "Members", exact: true })).toBeVisible();
  await expect(consoleNav.getByRole("link", { name: "System", exact: true })).toHaveCount(0);

  const response = await page.goto("/staff/system");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You can't open this page" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "System health" })).toHaveCount(0);
  await expectAccessible(page);
});
