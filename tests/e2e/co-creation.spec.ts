import path from "node:path";
import { test, expect, expectAccessible, expectAccessibleInBothThemes, newSession } from "./fixtures";

const files = path.join(import.meta.dirname, "files");

test("a member reviews a product with a low rating, their manager is asked to follow up and responds, and the member sees the response", async ({ browser }) => {
  const member = await newSession(browser, "member27@rapport.local");
  await member.page.goto("/products");
  await expectAccessibleInBothThemes(member.page);
  await member.page.getByRole("link", { name: "Two-person tent" }).click();
  await expect(member.page.getByRole("heading", { level: 1, name: "Two-person tent" })).toBeVisible();
  await expect(member.page.getByRole("table", { name: "How many reviews gave each number of stars" })).toBeVisible();
  await expectAccessibleInBothThemes(member.page);

  // The stars are a radio group: arrow keys move the choice.
  const form = member.page.locator("#write-review");
  await form.getByRole("radio", { name: "1 of 5 stars" }).focus();
  await member.page.keyboard.press("ArrowRight");
  await expect(form.getByRole("radio", { name: "2 of 5 stars" })).toBeChecked();
  // Bad input comes back as a field error; nothing typed is lost.
  await form.getByLabel("Title").fill("Poles bent in the wind");
  await form.getByLabel("Your review").fill("Short");
  await form.getByRole("button", { name: "Publish review" }).click();
  await expect(form.getByText("Write at least 10 characters.")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("Poles bent in the wind");
  await expect(form.getByRole("radio", { name: "2 of 5 stars" })).toBeChecked();
  await form.getByLabel("Your review").fill("Two poles bent in a mild wind on the second night. The fabric is fine.");
  await expectAccessible(member.page);
  await form.getByRole("button", { name: "Publish review" }).click();
  const review = member.page.getByRole("article", { name: "Poles bent in the wind" });
  await expect(review).toBeVisible();
  await expect(review.getByRole("img", { name: "2 out of 5 stars" })).toBeVisible();
  await expect(member.page.getByRole("heading", { name: "Your review" })).toBeVisible();

  // The account manager (staff3) is told, and the notice opens the member's chat.
  const manager = await newSession(browser, "staff3@rapport.local");
  await manager.page.goto("/notifications");
  const notice = manager.page.getByRole("link", { name: /gave Two-person tent 2 stars: follow up with them/ });
  await expect(notice).toBeVisible();
  await notice.click();
  await expect(manager.page).toHaveURL(/\/staff\/inbox\/[^/]+$/);

  await manager.page.goto("/products/leu-hai-nguoi");
  const staffView = manager.page.getByRole("article", { name: "Poles bent in the wind" });
  await staffView.getByText("Respond as staff").click();
  await staffView.getByLabel("Official response").fill("We are sorry! A set of reinforced poles is on its way to you, free of charge.");
  await staffView.getByRole("button", { name: "Publish response" }).click();
  // Published: shown as the official response (the form below keeps it for later edits).
  await expect(manager.page.getByRole("article", { name: "Poles bent in the wind" }).getByRole("region", { name: /Response from/ })).toContainText("reinforced poles");

  await member.page.goto("/notifications");
  await member.page.getByRole("link", { name: /Our team answered your review of Two-person tent/ }).click();
  const answered = member.page.getByRole("article", { name: "Poles bent in the wind" });
  await expect(answered.getByRole("region", { name: /Response from/ })).toContainText("reinforced poles");
  await expectAccessible(member.page);

  // Another member finds it helpful; the author cannot vote on their own review.
  const reader = await newSession(browser, "member29@rapport.local");
  await reader.page.goto("/products/leu-hai-nguoi?sort=newest");
  const readerView = reader.page.getByRole("article", { name: "Poles bent in the wind" });
  await readerView.getByRole("button", { name: "Helpful" }).click();
  await expect(reader.page.getByRole("article", { name: "Poles bent in the wind" }).getByRole("button", { name: "Helpful" })).toHaveAttribute("aria-pressed", "true");
  await expect(reader.page.getByRole("article", { name: "Poles bent in the wind" }).getByText("1 person found this helpful")).toBeVisible();
  await expect(answered.getByRole("button", { name: "Helpful" })).toHaveCount(0);

  for (const session of [member, manager, reader]) await session.context.close();
});

test("members vote for an idea, staff move it to Planned, and the voter is notified; the roadmap shows it", async ({ browser }) => {
  const voter = await newSession(browser, "member28@rapport.local");
  await voter.page.goto("/ideas");
  await expectAccessibleInBothThemes(voter.page);

  // Suggesting: similar ideas appear while the title is typed.
  await voter.page.getByRole("link", { name: "Suggest an idea" }).click();
  await voter.page.getByLabel("Title").pressSequentially("giao hang cuoi tuan");
  const similar = voter.page.getByRole("region", { name: /Similar ideas/ });
  await expect(similar.getByRole("link", { name: "Giao hàng vào cuối tuần" })).toBeVisible();
  await expectAccessible(voter.page);
  await similar.getByRole("link", { name: "Giao hàng vào cuối tuần" }).click();

  // So they vote instead of writing it again.
  await expect(voter.page.getByRole("heading", { level: 1, name: "Giao hàng vào cuối tuần" })).toBeVisible();
  const ideaUrl = voter.page.url();
  await voter.page.getByRole("button", { name: "Vote for “Giao hàng vào cuối tuần”" }).click();
  await expect(voter.page.getByRole("button", { name: /^Voted for “Giao hàng vào cuối tuần”/ })).toHaveAttribute("aria-pressed", "true");
  await expect(voter.page.getByRole("button", { name: "Following" })).toBeVisible();
  await expectAccessibleInBothThemes(voter.page);

  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto(ideaUrl);
  await staff.page.getByLabel("New status").selectOption({ label: "Planned" });
  await staff.page.getByLabel("Public comment (optional)").first().fill("Weekend deliveries start in **Hà Nội** and **TP.HCM** next month.");
  await staff.page.getByRole("button", { name: "Save status" }).click();
  await expect(staff.page.locator("#history").getByText("Weekend deliveries start in")).toBeVisible();
  // The saved comment leaves the box: a second "Save status" must not post it again.
  await expect(staff.page.getByLabel("Public comment (optional)").first()).toHaveValue("");
  await expect(staff.page.getByLabel("New status")).toHaveValue("planned");
  await expectAccessible(staff.page);

  await expect(voter.page.getByRole("link", { name: /Notifications, [1-9]\d* unread/ })).toBeVisible({ timeout: 10_000 });
  await voter.page.getByRole("link", { name: /Notifications, [1-9]\d* unread/ }).click();
  await voter.page.getByRole("link", { name: /The idea “Giao hàng vào cuối tuần” moved to Planned/ }).click();
  await expect(voter.page.getByText("Planned").first()).toBeVisible();

  await voter.page.goto("/ideas?scope=voted&status=all");
  await expect(voter.page.getByRole("link", { name: "Giao hàng vào cuối tuần" })).toBeVisible();
  await voter.page.goto("/ideas/roadmap");
  await expect(voter.page.getByRole("region", { name: /Planned/ }).getByRole("link", { name: "Giao hàng vào cuối tuần" })).toBeVisible();
  await expect(voter.page.getByRole("region", { name: /Done/ }).getByText("You asked, we built").first()).toBeVisible();
  await expectAccessibleInBothThemes(voter.page);

  await voter.page.goto("/profile/activity");
  await expect(voter.page.getByText("Saw “Giao hàng vào cuối tuần” move to Planned (voted)")).toBeVisible();
  for (const session of [voter, staff]) await session.context.close();
});

test("an admin adds a product and records its owners in bulk; the owner sees it under My products", async ({ browser }) => {
  // Unique per run, so a retry against the same server starts clean.
  const tail = Date.now().toString(36);
  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/staff/products");
  await expectAccessible(admin.page);
  const form = admin.page.getByRole("region", { name: "New product" });
  await form.getByLabel("Name (Vietnamese)").fill("Võng dù siêu nhẹ");
  await form.getByLabel("Name (English)").fill(`Ultralight hammock ${tail}`);
  await form.getByLabel("Address (slug)").fill("Bad Slug");
  await form.getByRole("button", { name: "Save product" }).click();
  // The browser's own pattern check or ours: either way nothing is lost.
  await form.getByLabel("Address (slug)").fill(`vong-du-${tail}`);
  await form.getByRole("button", { name: "Save product" }).click();
  await expect(admin.page.getByText("Product created.")).toBeVisible();
  await admin.page.getByLabel("Members (emails or @usernames)").fill("member26@rapport.local\nnobody@example.test");
  await admin.page.getByRole("button", { name: "Record as owners" }).click();
  await expect(admin.page.getByText(/Recorded \(1\)/)).toBeVisible();
  await expect(admin.page.getByText(/No such member \(1\): nobody@example.test/)).toBeVisible();
  await expectAccessible(admin.page);

  const owner = await newSession(browser, "member26@rapport.local");
  await owner.page.goto("/profile/products");
  await expect(owner.page.getByRole("link", { name: `Ultralight hammock ${tail}` })).toBeVisible();
  await expectAccessible(owner.page);
  for (const session of [admin, owner]) await session.context.close();
});

test("every demo product has a picture; an admin replaces one, a wrong file is refused beside the field, and visitors see it named", async ({ browser, page }) => {
  await page.goto("/products");
  await expect(page.getByRole("img", { name: "Picture of Folding camp chair" })).toBeVisible();
  // The nine demo products on sale (a product another test adds may have none yet).
  expect(await page.getByRole("img", { name: /^Picture of / }).count()).toBeGreaterThanOrEqual(9);

  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/staff/products");
  await admin.page.getByRole("link", { name: "Folding camp chair" }).click();
  const file = admin.page.getByLabel("Choose a picture");
  await file.setInputFiles(path.join(files, "not-allowed.gif"));
  await admin.page.getByRole("button", { name: "Upload picture" }).click();
  await expect(file).toHaveAttribute("aria-invalid", "true");
  await expect(file).toHaveAccessibleDescription(/This file is not a PNG, JPEG or WebP picture\./);
  await expectAccessible(admin.page);
  const before = await admin.page.getByRole("img", { name: "Picture of Folding camp chair" }).getAttribute("src");
  await file.setInputFiles(path.join(files, "avatar.png"));
  await admin.page.getByRole("button", { name: "Upload picture" }).click();
  await expect(admin.page.getByText("Picture saved.")).toBeVisible();
  const picture = admin.page.getByRole("img", { name: "Picture of Folding camp chair" });
  await expect(picture).not.toHaveAttribute("src", before!);
  const after = await picture.getAttribute("src");
  expect(after).toMatch(/^\/uploads\/products\/.+\.webp$/);
  await admin.context.close();

  // In Vietnamese, the picture is named in Vietnamese.
  await page.context().addCookies([{ name: "rapport_lang", value: "vi", url: page.url() }]);
  await page.goto("/products/ghe-xep");
  await expect(page.getByRole("img", { name: "Hình ảnh Ghế xếp dã ngoại" })).toHaveAttribute("src", after!);
  await expectAccessible(page);
});

test("the ideas list shows which order is chosen: Trending at first, then Top once picked, and the others plain", async ({ page }) => {
  await page.goto("/ideas");
  const sorts = page.getByRole("navigation", { name: "Sort and show" });
  const trending = sorts.getByRole("link", { name: "Trending" });
  const top = sorts.getByRole("link", { name: "Top" });
  const looks = (link: typeof top) => link.evaluate((el) => `${getComputedStyle(el).backgroundColor} ${getComputedStyle(el).fontWeight}`);
  await expect(trending).toHaveAttribute("aria-current", "page");
  await expect(top).not.toHaveAttribute("aria-current", /.*/);
  const chosen = await looks(trending);
  const plain = await looks(top);
  expect(chosen).not.toBe(plain);

  await top.click();
  await expect(page).toHaveURL(/sort=top/);
  await expect(top).toHaveAttribute("aria-current", "page");
  await expect(trending).not.toHaveAttribute("aria-current", /.*/);
  expect(await looks(top)).toBe(chosen);
  expect(await looks(trending)).toBe(plain);
  await expectAccessibleInBothThemes(page);
});
