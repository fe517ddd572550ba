import { test, expect, expectAccessible, logIn, newSession } from "./fixtures";

test("a member and their account manager chat live: typing, seen, and a private note the member never sees", async ({ browser }) => {
  // member24 (Ava Johnson) is looked after by staff3 (Trần Quốc Bảo) in the demo data.
  const member = await newSession(browser, "member24@rapport.local");
  await member.page.goto("/chat");
  await expect(member.page.getByText("Trần Quốc Bảo")).toBeVisible();
  await expectAccessible(member.page);

  const staff = await newSession(browser, "staff3@rapport.local");
  await staff.page.goto("/staff/inbox");

  const memberBox = member.page.getByLabel("Your message");
  await memberBox.fill("Chào anh, đơn hàng tuần này giao buổi sáng được không?");
  await memberBox.press("Enter");
  await expect(member.page.locator(".chat__message").filter({ hasText: "giao buổi sáng" })).toBeVisible();

  // The inbox updates live; the staff member opens the conversation and sees who they are talking to.
  await staff.page.getByRole("link", { name: /Ava Johnson/ }).click();
  await expect(staff.page.locator(".chat__message").filter({ hasText: "giao buổi sáng" })).toBeVisible();
  await expect(staff.page.getByRole("complementary")).toContainText("member24@rapport.local");
  await expectAccessible(staff.page);

  const staffBox = staff.page.getByLabel("Your message");
  await staffBox.pressSequentially("Dạ được ạ", { delay: 20 });
  await expect(member.page.getByText("Trần Quốc Bảo is typing…")).toBeVisible();
  await staffBox.press("Enter");
  await expect(member.page.locator(".chat__message").filter({ hasText: "Dạ được ạ" })).toBeVisible();
  // The member's open page read it: the staff member sees "Seen".
  await expect(staff.page.getByText(/^Seen /)).toBeVisible();

  await staff.page.getByLabel("Private note").check();
  await staffBox.fill("Khách muốn giao sáng: ghi vào sở thích giao hàng");
  await staff.page.getByRole("button", { name: "Add note" }).click();
  await expect(staff.page.locator(".chat__message--note").filter({ hasText: "ghi vào sở thích" })).toBeVisible();

  await member.page.reload();
  await expect(member.page.locator(".chat__message").filter({ hasText: "Dạ được ạ" })).toBeVisible();
  await expect(member.page.getByText("ghi vào sở thích")).toHaveCount(0);
  await Promise.all([member.context.close(), staff.context.close()]);
});

test("a member writes from the launcher on any page; staff answer with a canned reply; the badge counts it until it is read", async ({ browser }) => {
  // member25 (Lâm Khánh Linh) is looked after by staff1 (Nguyễn Thị Mai), who has shared canned replies.
  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/staff/inbox");
  const member = await newSession(browser, "member25@rapport.local");
  await member.page.goto("/community");

  const launcher = member.page.getByRole("button", { name: /^Chat with your account manager/ });
  await launcher.click();
  const panel = member.page.getByRole("dialog", { name: "Chat with your account manager" });
  await expect(panel.getByText("Nguyễn Thị Mai")).toBeVisible();
  await expect(panel.getByTestId("manager-presence")).toHaveText("Online");
  await expectAccessible(member.page);
  const memberBox = panel.getByLabel("Your message");
  await memberBox.fill("Chị ơi, cho em hỏi về hóa đơn tháng này.");
  await memberBox.press("Enter");
  await expect(panel.locator(".chat__message").filter({ hasText: "hóa đơn tháng này" })).toBeVisible();
  await memberBox.press("Escape");
  await expect(panel).toHaveCount(0);

  await staff.page.getByRole("link", { name: /Lâm Khánh Linh/ }).click();
  const staffBox = staff.page.getByLabel("Your message");
  await staffBox.fill("/greet");
  const options = staff.page.getByRole("listbox", { name: "Canned replies" });
  await expect(options.getByRole("option", { name: /Greeting/ })).toBeVisible();
  await expectAccessible(staff.page);
  await staffBox.press("Enter");
  await expect(staffBox).toHaveValue("Hi Linh, this is Mai, your account manager. How can I help?");
  await staffBox.press("Enter");
  await expect(staff.page.locator(".chat__message").filter({ hasText: "Hi Linh, this is Mai" })).toBeVisible();

  // Closed launcher: the badge counts the reply, live.
  await expect(member.page.getByTestId("chat-unread")).toHaveText("1");
  await launcher.click();
  await expect(panel.locator(".chat__message").filter({ hasText: "Hi Linh, this is Mai" })).toBeVisible();
  await expect(member.page.getByTestId("chat-unread")).toHaveCount(0);
  await Promise.all([member.context.close(), staff.context.close()]);
});

test("an admin sets cover and reassigns a member; the member reads in their open chat who their new manager is", async ({ browser }) => {
  // member30 (Noah Walker) is looked after by Trần Quốc Bảo in the demo data, and writes first.
  const member = await newSession(browser, "member30@rapport.local");
  await member.page.goto("/chat");
  await expect(member.page.getByText("Trần Quốc Bảo").first()).toBeVisible();
  await member.page.getByLabel("Your message").fill("Hello, quick question about my order.");
  await member.page.getByLabel("Your message").press("Enter");
  await expect(member.page.locator(".chat__message").filter({ hasText: "quick question" })).toBeVisible();

  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/staff/assignments");
  await expect(admin.page.getByRole("heading", { name: "Staff load and cover" })).toBeVisible();
  await expectAccessible(admin.page);

  // James Carter is covered by any staff on duty in the demo; name Bảo instead.
  const jamesCover = admin.page.getByLabel("Who covers for James Carter");
  await jamesCover.selectOption({ label: "Trần Quốc Bảo" });
  await admin.page.getByRole("row", { name: /James Carter/ }).getByRole("button", { name: "Save" }).click();
  await expect(admin.page.getByRole("status")).toHaveText("Cover saved.");
  await expect(admin.page.getByLabel("Who covers for James Carter").locator("option:checked")).toHaveText("Trần Quốc Bảo");

  await admin.page.getByRole("searchbox").fill("member30@");
  await admin.page.getByRole("button", { name: "Filter" }).click();
  await admin.page.getByRole("checkbox", { name: "Select Noah Walker" }).check();
  const target = admin.page.getByLabel("Assign the selected members to");
  await target.selectOption((await target.locator("option", { hasText: "James Carter" }).getAttribute("value"))!);
  await admin.page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(admin.page.getByRole("status")).toContainText("Members reassigned: 1");
  await expect(admin.page.getByRole("row", { name: /Noah Walker/ })).toContainText("James Carter");

  // Live, in the conversation the member has open.
  await expect(member.page.getByText("Your account manager is now James Carter.")).toBeVisible();
  await member.page.reload();
  await expect(member.page.getByText("James Carter").first()).toBeVisible();
  await expectAccessible(member.page);
  await Promise.all([member.context.close(), admin.context.close()]);
});

test("a member's chat heads each day, in their own time zone, and a new message goes under Today", async ({ browser, baseURL }) => {
  // member3 has chatted with their manager for weeks (demo data); they read from Ho Chi Minh City.
  const context = await browser.newContext({ locale: "en-US", timezoneId: "Asia/Ho_Chi_Minh" });
  await context.addCookies([{ name: "rapport_lang", value: "en", url: baseURL! }]);
  const page = await context.newPage();
  await logIn(page, "member3@rapport.local");
  await page.goto("/chat");
  const days = page.locator(".chat__day");
  await expect(page.locator(".chat__message").first()).toBeVisible();
  // Three weeks ago and ten days ago: dated headings, in the reader's language.
  await expect(days.first()).toHaveText(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+/);
  expect(await days.count()).toBeGreaterThanOrEqual(3);

  const box = page.getByLabel("Your message");
  await box.fill("Cho mình hỏi lịch giao hàng tuần sau.");
  await box.press("Enter");
  const sent = page.locator(".chat__message").filter({ hasText: "lịch giao hàng tuần sau" });
  await expect(sent).toBeVisible();
  // The day heading right above the new message is Today, live and after a reload alike.
  const headingAbove = () => sent.locator("xpath=preceding-sibling::li[contains(@class,'chat__day')][1]");
  await expect(headingAbove()).toHaveText("Today");
  await page.reload();
  await expect(sent).toBeVisible();
  await expect(headingAbove()).toHaveText("Today");
  await expectAccessible(page);
  await context.close();
});

test("staff see on the Inbox link, live, how many conversations wait for them; reading one clears it", async ({ browser }) => {
  // member20 (Mai Xuân Trường) is looked after by staff2 (James Carter). Other tests of the run may
  // have left staff2 something unread: the story counts from whatever the badge says first.
  const staff = await newSession(browser, "staff2@rapport.local");
  await staff.page.goto("/staff");
  const consoleNav = staff.page.getByRole("navigation", { name: "Staff console" });
  const anyInbox = consoleNav.getByRole("link", { name: /^Inbox(, \d+ unread)?$/ });
  await expect(anyInbox).toBeVisible();
  const before = Number((await anyInbox.ariaSnapshot()).match(/(\d+) unread/)?.[1] ?? 0);
  const inboxAt = (n: number) => consoleNav.getByRole("link", n === 0 ? { name: "Inbox", exact: true } : { name: `Inbox, ${n} unread` });

  const member = await newSession(browser, "member20@rapport.local");
  await member.page.goto("/chat");
  const box = member.page.getByLabel("Your message");
  await box.fill("Chào anh James, em cần đổi địa chỉ giao hàng.");
  await box.press("Enter");
  await expect(member.page.locator(".chat__message").filter({ hasText: "đổi địa chỉ" })).toBeVisible();

  const inbox = inboxAt(before + 1);
  await expect(inbox).toBeVisible();
  await expectAccessible(staff.page);
  await inbox.click();
  await staff.page.getByRole("link", { name: /Mai Xuân Trường/ }).click();
  await expect(staff.page.locator(".chat__message").filter({ hasText: "đổi địa chỉ" })).toBeVisible();
  await expect(inboxAt(before)).toBeVisible();
  await Promise.all([member.context.close(), staff.context.close()]);
});
