import type { Page } from "@playwright/test";
import { test, expect, expectAccessible, newSession } from "./fixtures";

test("a member starts a thread with a live preview, and a reply appears for another reader without reloading", async ({ browser }) => {
  const author = await newSession(browser, "member14@rapport.local");
  await author.page.goto("/community");
  await expectAccessible(author.page);
  await author.page.getByRole("link", { name: "Questions & help" }).first().click();
  await expectAccessible(author.page);
  await author.page.getByRole("link", { name: "Start a thread" }).click();

  await author.page.getByLabel("Title").fill("Hóa đơn điện tử gửi về email nào?");
  await author.page.getByLabel("Your message").fill("Mình cần **hóa đơn điện tử** gửi về email kế toán.\n\n<script>alert(1)</script>");
  const preview = author.page.getByRole("region", { name: "Preview" });
  await expect(preview.locator("strong")).toHaveText("hóa đơn điện tử");
  await expect(preview).toContainText("<script>alert(1)</script>");
  await expectAccessible(author.page);
  await author.page.getByRole("button", { name: "Post thread" }).click();
  await expect(author.page.getByRole("heading", { name: "Hóa đơn điện tử gửi về email nào?" })).toBeVisible();
  const threadUrl = author.page.url();

  const reader = await newSession(browser, "member15@rapport.local");
  await reader.page.goto(threadUrl);
  await expect(reader.page.getByText("Mình cần")).toBeVisible();

  await author.page.getByLabel("Your message").fill("Thêm: email là ketoan@example.vn");
  await author.page.getByRole("button", { name: "Reply", exact: true }).click();
  // Looked for in the reply itself: until the form resets, the composer holds the same words.
  await expect(author.page.locator("#post-2")).toContainText("Thêm: email là ketoan@example.vn");
  // Posting again at once (within 5 s) is refused with a clear message, and the text is kept.
  await expect(author.page.getByLabel("Your message")).toHaveValue("");
  await author.page.getByLabel("Your message").fill("Một câu hỏi nữa ngay lập tức");
  await author.page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(author.page.getByRole("alert")).toContainText("You are posting too fast");
  await expect(author.page.getByLabel("Your message")).toHaveValue("Một câu hỏi nữa ngay lập tức");

  // Live, over socket.io: the reader never reloads.
  await expect(reader.page.locator("#post-2")).toContainText("Thêm: email là ketoan@example.vn", { timeout: 5_000 });

  // Unread tracking: the list marks what is new since the reader's visit and opens at it.
  await reader.page.goto("/community");
  const row = reader.page.getByRole("listitem").filter({ hasText: "Hóa đơn điện tử gửi về email nào?" });
  await expect(row.getByLabel("1 new post", { exact: true })).toBeVisible();
  await row.getByRole("link", { name: "Hóa đơn điện tử gửi về email nào?" }).click();
  await expect(reader.page).toHaveURL(/#post-2$/);
  await expect(reader.page.getByText("New since your last visit")).toBeVisible();

  // The author watches their thread: a reply from the reader rings their bell.
  await reader.page.getByLabel("Your message").fill("Bạn thử hỏi người quản lý tài khoản nhé");
  await reader.page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(author.page.getByRole("link", { name: /Notifications, [1-9]\d* unread/ })).toBeVisible({ timeout: 10_000 });
  await author.page.getByRole("link", { name: /Notifications, [1-9]\d* unread/ }).click();
  await expect(author.page.getByRole("link", { name: /replied in “Hóa đơn điện tử gửi về email nào\?”/ })).toBeVisible();

  await author.page.goto("/profile/activity");
  await expect(author.page.getByText("Started the thread “Hóa đơn điện tử gửi về email nào?”")).toBeVisible();
  await author.context.close();
  await reader.context.close();
});

/** A member starts a thread in "Questions & help" and lands on it. */
async function askInQuestions(page: Page, title: string, body: string) {
  await page.goto("/community/new");
  await page.getByLabel("Category").selectOption({ label: "Questions & help" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your message").fill(body);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
}

/** What a reader sees of the second post and can do with it (the "new since your last visit" marker aside). */
const looks = (page: Page) =>
  page.locator("#post-2").evaluate((post) => ({
    text: [...post.children].filter((child) => !child.classList.contains("unread-marker")).map((child) => (child as HTMLElement).innerText),
    time: post.querySelector("time")?.getAttribute("datetime"),
    avatar: post.querySelector(".avatar")?.outerHTML,
    controls: [...post.querySelectorAll("a, button, summary")].map((c) =>
      [c.tagName, c.getAttribute("aria-label") ?? (c as HTMLElement).innerText, c.hasAttribute("disabled"), c.getAttribute("aria-pressed"), c.getAttribute("href")].join(" | "),
    ),
  }));

test("a reply that arrives live looks exactly as it does after a reload: its time, reactions and actions", async ({ browser }) => {
  const asker = await newSession(browser, "member12@rapport.local");
  await askInQuestions(asker.page, "Áo mưa có bảo hành đường may không?", "Đường may ở vai bị bung sau hai tháng.");

  const answerer = await newSession(browser, "member20@rapport.local");
  await answerer.page.goto(asker.page.url());
  await answerer.page.getByLabel("Your message").fill("Có, **12 tháng** cho đường may. Mang áo ra cửa hàng nhé.");
  await answerer.page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(answerer.page.locator("#post-2")).toContainText("12 tháng");

  const post = asker.page.locator("#post-2");
  await expect(post).toContainText("12 tháng", { timeout: 5_000 });
  const live = await looks(asker.page);
  expect(live.time).toBeTruthy();
  await expect(post.getByRole("button", { name: /Helpful/ })).toBeEnabled();
  await expect(post.getByRole("button", { name: "Accept as answer" })).toBeVisible();
  await expectAccessible(asker.page);

  await asker.page.reload();
  await expect(post).toContainText("12 tháng");
  expect(await looks(asker.page)).toEqual(live);
  await Promise.all([asker.context.close(), answerer.context.close()]);
});

test("a reply edited, hidden and restored while the asker reads looks as it does after a reload; a thread moved out of their sight tells them", async ({ browser }) => {
  const asker = await newSession(browser, "member13@rapport.local");
  await askInQuestions(asker.page, "Bình giữ nhiệt có dùng cho trà nóng được không?", "Mình hay pha trà 90 độ.");
  const threadUrl = asker.page.url();

  const answerer = await newSession(browser, "member21@rapport.local");
  await answerer.page.goto(threadUrl);
  await answerer.page.getByLabel("Your message").fill("Được, nhưng đừng đậy nắp ngay.");
  await answerer.page.getByRole("button", { name: "Reply", exact: true }).click();
  const post = asker.page.locator("#post-2");
  await expect(post).toContainText("đừng đậy nắp ngay", { timeout: 5_000 });

  /** The asker's tab changes without a reload, and then looks as a reload shows it. */
  async function sameAfterReload(expected: string | RegExp) {
    await expect(post).toContainText(expected, { timeout: 5_000 });
    const live = await looks(asker.page);
    await asker.page.reload();
    await expect(post).toContainText(expected);
    expect(await looks(asker.page)).toEqual(live);
  }

  await answerer.page.getByRole("link", { name: "Edit post #2" }).click();
  await answerer.page.getByRole("textbox", { name: "Edit post #2" }).fill("Được, nhưng **chờ 1 phút** rồi mới đậy nắp.");
  await answerer.page.getByRole("button", { name: "Save changes" }).click();
  await sameAfterReload("chờ 1 phút");
  await expect(post).toContainText("edited");

  const moderator = await newSession(browser, "member5@rapport.local");
  await moderator.page.goto(threadUrl);
  await moderator.page.getByRole("button", { name: "Hide post #2" }).click();
  await sameAfterReload("This post is hidden while moderators review it.");
  await moderator.page.getByRole("button", { name: "Restore post #2" }).click();
  await sameAfterReload("chờ 1 phút");

  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto(threadUrl);
  await staff.page.getByText("Rename or move").click();
  await staff.page.getByLabel("Category").selectOption({ label: "Staff lounge" });
  await staff.page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(asker.page.getByRole("alert")).toContainText("You can no longer read this thread", { timeout: 5_000 });
  await expect(asker.page.getByRole("button", { name: "Reply", exact: true })).toHaveCount(0);
  await expectAccessible(asker.page);
  expect((await asker.page.reload())?.status()).toBe(404);
  await Promise.all([asker.context.close(), answerer.context.close(), moderator.context.close(), staff.context.close()]);
});

test("a member asks, another answers and @mentions staff through the suggestions, and the author accepts the answer", async ({ browser }) => {
  const asker = await newSession(browser, "member22@rapport.local");
  await askInQuestions(asker.page, "Có giao hàng ra đảo Phú Quốc không?", "Mình ở **Phú Quốc**, đặt hàng có được giao không?");
  const threadUrl = asker.page.url();

  const answerer = await newSession(browser, "member23@rapport.local");
  await answerer.page.goto(threadUrl);
  const box = answerer.page.getByLabel("Your message");
  await box.pressSequentially("Có, giao trong 3–5 ngày. Hỏi thêm @thimai");
  const suggestions = answerer.page.getByRole("listbox", { name: "People to mention" });
  await expect(suggestions.getByRole("option", { name: /@nguyenthimai Nguyễn Thị Mai/ })).toBeVisible();
  await expect(box).toHaveAttribute("aria-activedescendant", /mention-0$/);
  await expectAccessible(answerer.page);
  await box.press("Enter");
  await expect(suggestions).toHaveCount(0);
  await expect(box).toHaveValue("Có, giao trong 3–5 ngày. Hỏi thêm @nguyenthimai ");
  await box.pressSequentially("nhé.");
  const preview = answerer.page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("link", { name: "@nguyenthimai" })).toHaveAttribute("href", "/community/u/nguyenthimai");
  await answerer.page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(answerer.page.locator("#post-2")).toContainText("Hỏi thêm @nguyenthimai nhé.");

  // The asker sees the answer arrive live and accepts it.
  await expect(asker.page.locator("#post-2")).toContainText("giao trong 3–5 ngày", { timeout: 5_000 });
  await asker.page.reload();
  await asker.page.locator("#post-2").getByRole("button", { name: "Accept as answer" }).click();
  await expect(asker.page.getByRole("link", { name: "Solved: see the answer from Tạ Quang Huy" })).toBeVisible();

  // The person mentioned is told, and the mention leads to a member card.
  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/notifications");
  await expect(staff.page.getByRole("link", { name: "Tạ Quang Huy mentioned you in “Có giao hàng ra đảo Phú Quốc không?”" })).toBeVisible();
  await answerer.page.locator("#post-2").getByRole("link", { name: "@nguyenthimai" }).click();
  await expect(answerer.page.getByRole("heading", { name: "Nguyễn Thị Mai" })).toBeVisible();
  await expectAccessible(answerer.page);

  // The answerer's card counts the accepted answer.
  await answerer.page.goto("/community/u/taquanghuy");
  await expect(answerer.page.getByRole("definition").nth(2)).toHaveText(/^[1-9]\d*$/);
  await Promise.all([asker.context.close(), answerer.context.close(), staff.context.close()]);
});

test("only staff start threads in Announcements", async ({ browser }) => {
  const member = await newSession(browser, "member16@rapport.local");
  await member.page.goto("/community/c/announcements");
  await expect(member.page.getByText("Only staff start threads here.")).toBeVisible();
  await expect(member.page.getByRole("link", { name: "Start a thread" })).toHaveCount(0);
  await member.context.close();
});

test("the staff lounge is for staff: a member is answered as if it did not exist, staff see it marked Staff only", async ({ browser }) => {
  const member = await newSession(browser, "member16@rapport.local");
  await member.page.goto("/community");
  await expect(member.page.getByRole("link", { name: "Staff lounge" })).toHaveCount(0);
  expect((await member.page.goto("/community/c/staff-lounge"))?.status()).toBe(404);

  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/community");
  const card = staff.page.getByRole("region", { name: "Categories" }).getByRole("listitem").filter({ hasText: "Staff lounge" });
  await expect(card.getByText("Staff only")).toBeVisible();
  await card.getByRole("link", { name: "Staff lounge" }).click();
  await expect(staff.page.getByRole("heading", { name: "Staff lounge" })).toBeVisible();
  await expectAccessible(staff.page);
  await staff.page.getByRole("link", { name: "Lịch trực chat dịp Tết / Chat rota over Tết" }).click();
  await expect(staff.page.getByText("Mình nhận mùng 1 và mùng 2.")).toBeVisible();
  await expectAccessible(staff.page);
  expect((await member.page.goto(staff.page.url()))?.status()).toBe(404);
  await Promise.all([member.context.close(), staff.context.close()]);
});

test("members react and the author accepts an answer; a moderator hides a post and can read edits", async ({ browser }) => {
  // member1 asked "Làm sao để đổi khung giờ giao hàng?" in the demo data; member4 and staff1 replied.
  const asker = await newSession(browser, "member1@rapport.local");
  await asker.page.goto("/community/c/help");
  await asker.page.getByRole("link", { name: "Làm sao để đổi khung giờ giao hàng?" }).click();
  await expectAccessible(asker.page);
  const helpful = asker.page.getByRole("button", { name: /^Helpful \(\d+\) on post #2$/ });
  await helpful.click();
  await expect(asker.page.getByRole("button", { name: "Helpful (1) on post #2" })).toHaveAttribute("aria-pressed", "true");
  await expect(asker.page.getByRole("button", { name: /on post #1$/ }).first()).toBeDisabled();

  await asker.page.locator("#post-2").getByRole("button", { name: "Accept as answer" }).click();
  await expect(asker.page.getByRole("link", { name: /Solved: see the answer from/ })).toBeVisible();
  await expect(asker.page.locator("#post-2").getByText("Accepted answer", { exact: true })).toBeVisible();

  await asker.page.getByRole("link", { name: "Edit post #1" }).click();
  await asker.page.getByRole("textbox", { name: "Edit post #1" }).fill("Mình muốn nhận hàng vào **buổi sáng**. (Đã tìm ra cách, cảm ơn!)");
  await asker.page.getByRole("button", { name: "Save changes" }).click();
  await expect(asker.page.locator("#post-1")).toContainText("Đã tìm ra cách");
  await expect(asker.page.locator("#post-1")).toContainText("edited");
  await expect(asker.page.getByText("Edit history")).toHaveCount(0);

  const moderator = await newSession(browser, "member5@rapport.local");
  await moderator.page.goto(asker.page.url());
  await moderator.page.getByText("Edit history").click();
  await expect(moderator.page.getByText("Có cần gọi cho người quản lý tài khoản không?")).toBeVisible();
  await moderator.page.getByRole("button", { name: "Hide post #3" }).click();
  await expect(moderator.page.locator("#post-3")).toContainText("This post is hidden while moderators review it.");
  await expectAccessible(moderator.page);
  await moderator.page.getByRole("button", { name: "Restore post #3" }).click();
  await expect(moderator.page.locator("#post-3")).not.toContainText("hidden while moderators review");

  await asker.context.close();
  await moderator.context.close();
});

test("members flag a post with a reason and a moderator reviews it in the queue", async ({ browser }) => {
  const reporter = await newSession(browser, "member17@rapport.local");
  await reporter.page.goto("/community/c/general");
  await reporter.page.getByRole("link", { name: "Quán cà phê yêu thích của bạn ở Đà Nẵng?" }).click();
  await reporter.page.getByText("Flag", { exact: true }).last().click();
  const flagForm = reporter.page.locator("details[open]");
  await flagForm.getByLabel("Off topic").check();
  await flagForm.getByLabel("Tell the moderators more (optional)").fill("Not about cafés");
  await expectAccessible(reporter.page);
  await flagForm.getByRole("button", { name: "Send flag" }).click();
  await expect(reporter.page.getByText("Thank you. Moderators will review this post.")).toBeVisible();

  const moderator = await newSession(browser, "member5@rapport.local");
  await moderator.page.getByRole("link", { name: "Moderation" }).click();
  await expect(moderator.page.getByRole("heading", { name: "Review queue" })).toBeVisible();
  await expect(moderator.page.getByText("Off topic: “Not about cafés”")).toBeVisible();
  // The demo's spam post waits in the queue too.
  await expect(moderator.page.getByText("Spam or advertising: “Quảng cáo”")).toBeVisible();
  await expectAccessible(moderator.page);
  const card = moderator.page.getByRole("listitem").filter({ hasText: "Not about cafés" });
  await card.getByRole("button", { name: "Keep the post" }).click();
  await expect(moderator.page.getByText("Off topic: “Not about cafés”")).toHaveCount(0);
  // The flagged spam is hidden from the queue, and readers see the placeholder instead of it.
  await moderator.page.getByRole("listitem").filter({ hasText: "Quảng cáo" }).getByRole("button", { name: "Hide the post" }).click();
  await expect(moderator.page.getByText("Spam or advertising: “Quảng cáo”")).toHaveCount(0);
  await reporter.page.goto("/community");
  await reporter.page.getByRole("link", { name: "Ưu đãi hấp dẫn, nhắn tin cho mình!" }).click();
  await expect(reporter.page.getByText("http://spam.example")).toHaveCount(0);
  await expect(reporter.page.getByText("This post is hidden while moderators review it.")).toBeVisible();

  const member = await newSession(browser, "member18@rapport.local");
  const response = await member.page.goto("/staff/moderation");
  expect(response?.status()).toBe(403);
  await reporter.context.close();
  await moderator.context.close();
  await member.context.close();
});

test("an admin adds a category in both languages and members see it", async ({ browser }) => {
  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.getByRole("link", { name: "Categories" }).click();
  await expect(admin.page.getByRole("heading", { name: "Forum categories" })).toBeVisible();
  const form = admin.page.getByRole("region", { name: "New category" });
  await form.getByLabel("Address (slug)").fill("Sai Dia Chi");
  await form.getByLabel("Name in Vietnamese").fill("Sự kiện");
  await form.getByLabel("Name in English").fill("Events");
  await form.getByRole("button", { name: "Save category" }).click();
  await expect(admin.page.getByText("Use lowercase letters, digits and hyphens")).toBeVisible();
  await expectAccessible(admin.page);
  await form.getByLabel("Address (slug)").fill("su-kien");
  await form.getByRole("button", { name: "Save category" }).click();
  await expect(admin.page.getByText("Category saved.")).toBeVisible();

  const member = await newSession(browser, "member19@rapport.local");
  await member.page.goto("/community");
  await expect(member.page.getByRole("link", { name: "Events" })).toBeVisible();
  await admin.context.close();
  await member.context.close();
});

test("a member who deleted their account reads as 'Former member' wherever others quoted or mentioned them, and their erased photo as a removed picture", async ({ browser }) => {
  const reader = await newSession(browser, "member16@rapport.local");
  await reader.page.goto("/community/c/products");
  await reader.page.getByRole("link", { name: "Áo mưa dùng hai năm vẫn như mới" }).click();
  const opening = reader.page.locator("#post-1");
  await expect(opening.locator(".post__head")).toContainText("Former member");
  // The photo is gone: a "removed" picture with the author's description, never a broken image.
  const photo = opening.getByRole("img", { name: "Áo mưa sau hai năm" });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const reply = reader.page.locator("#post-2");
  await expect(reply.locator("blockquote strong")).toHaveText("Former member:");
  await expect(reply).toContainText("Cảm ơn Former member, mình sẽ mua thử!");
  await expect(reply.getByRole("link", { name: /deleted_|Former member/ })).toHaveCount(0);
  await expectAccessible(reader.page);
  await reader.context.close();
});
