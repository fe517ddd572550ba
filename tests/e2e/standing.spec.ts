import { test, expect, expectAccessible, logIn, newSession, uniqueEmail } from "./fixtures";

test("a moderator suspends a spammer from their profile: the spammer's open tab is logged out, and log-in says why until it is lifted", async ({ browser }) => {
  const email = uniqueEmail("spam");
  const username = `spam${Date.now().toString(36)}`;
  const password = "quảng cáo khắp nơi";
  const spammerContext = await browser.newContext({ locale: "en-US" });
  await spammerContext.addCookies([{ name: "rapport_lang", value: "en", url: process.env.E2E_BASE_URL ?? "http://localhost:3310" }]);
  const spammer = await spammerContext.newPage();
  await spammer.goto("/signup");
  await spammer.getByLabel("Your name").fill("Bán Hàng Giá Rẻ");
  await spammer.getByLabel("Username (optional)").fill(username);
  await spammer.getByLabel("Email").fill(email);
  await spammer.getByLabel("Password", { exact: true }).fill(password);
  await spammer.getByRole("button", { name: "Create account" }).click();
  await expect(spammer.getByRole("heading", { name: "Hello, Bán Hàng Giá Rẻ" })).toBeVisible();

  // member5 is the demo's moderator.
  const moderator = await newSession(browser, "member5@rapport.local");
  await moderator.page.goto(`/community/u/${username}`);
  const panel = moderator.page.getByRole("region", { name: /^Moderation/ });
  await panel.getByRole("button", { name: "Suspend" }).click();
  await expect(panel.getByText("Say why, in a few words: the member reads it.")).toBeVisible();
  await panel.getByLabel("For how long").selectOption("30");
  await panel.getByLabel("Reason").fill("Quảng cáo lặp lại trong nhiều chủ đề");
  await panel.getByRole("button", { name: "Suspend" }).click();
  await expect(panel.getByRole("status")).toHaveText("Bán Hàng Giá Rẻ is suspended. They were logged out and told by email.");
  await expect(panel.getByText(/^Suspended until .+\. Reason: Quảng cáo lặp lại trong nhiều chủ đề$/)).toBeVisible();
  await expectAccessible(moderator.page);

  // The spammer's open tab heard its socket close and reloaded, logged out.
  await expect(spammer.getByRole("link", { name: "Log in" })).toBeVisible();
  await spammer.goto("/login");
  await spammer.locator('input[name="email"]').fill(email);
  await spammer.locator('input[name="password"]').fill(password);
  await spammer.locator('form[id="login"] button[type="submit"]').click();
  await expect(spammer.getByText(/^This account is suspended until .+\. Reason: Quảng cáo lặp lại trong nhiều chủ đề$/)).toBeVisible();
  await expectAccessible(spammer);

  await panel.getByRole("button", { name: "Lift the suspension" }).click();
  await expect(panel.getByRole("status")).toHaveText("Bán Hàng Giá Rẻ's suspension is lifted. They can log in again.");
  await logIn(spammer, email, password);
  await expect(spammer.getByRole("heading", { name: "Hello, Bán Hàng Giá Rẻ" })).toBeVisible();
  await spammerContext.close();
  await moderator.context.close();
});
