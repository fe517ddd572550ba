import { test, expect, expectAccessible, gotoLive, logIn, mailLink, uniqueEmail, newSession } from "./fixtures";

test("a visitor signs up, confirms the email from the mail link, logs out and in again", async ({ page }) => {
  const email = uniqueEmail("signup");
  await page.goto("/signup");
  await expectAccessible(page);
  await page.getByLabel("Your name").fill("Nguyễn Văn Thử");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("mây trắng bay qua đồi");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("heading", { name: "Hello, Nguyễn Văn Thử" })).toBeVisible();
  await expect(page.getByText(`Please confirm your email address: we sent a link to ${email}.`)).toBeVisible();

  // Opening the link asks for a click (a mail scanner's visit confirms nothing); the click confirms.
  await page.goto(await mailLink(page, email));
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByText("Thank you, your email address is confirmed.")).toBeVisible();
  await expectAccessible(page);

  await page.goto("/");
  await expect(page.getByText("Please confirm your email address")).toHaveCount(0);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await logIn(page, email, "mây trắng bay qua đồi");
  await expect(page.getByRole("heading", { name: "Hello, Nguyễn Văn Thử" })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Sign up" })).toBeVisible();
});

test("sign-up refuses a common password and a taken email with field messages", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Tester");
  await page.getByLabel("Email").fill("member1@rapport.local");
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is among the most common ones. Choose another.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("a much better passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("member3@rapport.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  const wrongPassword = await page.getByRole("alert").textContent();
  await page.getByLabel("Email").fill("nobody-here@rapport.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(wrongPassword!);
  expect(wrongPassword).toContain("The email or password is not right.");
});

test("a member resets a forgotten password with the mailed link, which works once", async ({ page }) => {
  const email = uniqueEmail("reset");
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Reset Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("first secret phrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Log out" }).click();

  await page.goto("/forgot-password");
  await expectAccessible(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText(`If an account exists for ${email}`)).toBeVisible();

  const link = await mailLink(page, email);
  expect(link).toContain("/reset-password?token=");
  await page.goto(link);
  await expectAccessible(page);
  await page.getByLabel("New password", { exact: true }).fill("second secret phrase");
  await page.getByLabel("Repeat the new password").fill("second secret phrase");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/login\?notice=password-changed/);
  await expect(page.getByText("Your password was changed. Log in with the new one.")).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("first secret phrase");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("The email or password is not right.")).toBeVisible();

  await logIn(page, email, "second secret phrase");
  await expect(page.getByRole("heading", { name: "Hello, Reset Person" })).toBeVisible();

  await page.goto(link);
  await expect(page.getByText("This reset link is not valid, was already used, or has expired.")).toBeVisible();
});

test("the log-in form works without JavaScript", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  await context.addCookies([{ name: "rapport_lang", value: "en", url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("member2@rapport.local");
  await page.getByLabel("Password").fill("rapport-demo");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Hello, Emily Nguyen" })).toBeVisible();
  await context.close();
});

test("logging out of all devices ends the session in the other browser too", async ({ browser }) => {
  const first = await newSession(browser, "member6@rapport.local");
  const second = await newSession(browser, "member6@rapport.local");
  // The other browser's tab is live on a members' page: the log-out closes its socket and it reloads
  // by itself. It is not sent anywhere until that reload is done, or the two navigations would cut
  // each other off.
  await gotoLive(second.page, "/profile");
  await first.page.goto("/profile/security");
  await expectAccessible(first.page);
  await first.page.getByRole("button", { name: "Log out of all my devices" }).click();
  await expect(first.page.getByText("You were logged out of all your devices.")).toBeVisible();

  await expect(second.page).toHaveURL(/\/login/);
  await second.page.goto("/profile");
  await expect(second.page).toHaveURL(/\/login/);
  await first.context.close();
  await second.context.close();
});
