/**
 * Demo co-creation data: a catalogue of products with owners and reviews
 * across every star rating (some answered by staff), and ideas in every
 * status, including a merged duplicate. Built from the test factories.
 */
import type { Db } from "../app/modules/services.server.ts";
import { newSortableId } from "../app/modules/ids.server.ts";
import { createIdea, createProduct, createReview, recountRatings } from "../tests/factories/co-creation.ts";
import { addTouchpoint } from "../tests/factories/relationship.ts";

const DAY = 24 * 60 * 60_000;

const CATEGORIES = [
  { slug: "outerwear", nameVi: "Áo khoác & đồ đi mưa", nameEn: "Outerwear & rain gear" },
  { slug: "kitchen", nameVi: "Nhà bếp & cà phê", nameEn: "Kitchen & coffee" },
  { slug: "outdoor", nameVi: "Dã ngoại", nameEn: "Outdoor" },
] as const;

const PRODUCTS = [
  { slug: "ao-mua-sieu-nhe", category: "outerwear", nameVi: "Áo mưa siêu nhẹ", nameEn: "Ultralight rain jacket", descriptionVi: "Chống nước 20.000 mm, gấp gọn bằng lòng bàn tay, đường may dán kín.", descriptionEn: "20,000 mm waterproof, packs into your palm, fully taped seams." },
  { slug: "ao-khoac-gio", category: "outerwear", nameVi: "Áo khoác gió hai lớp", nameEn: "Two-layer windbreaker", descriptionVi: "Lớp lót lưới thoáng khí, mũ trùm điều chỉnh được.", descriptionEn: "Breathable mesh lining and an adjustable hood." },
  { slug: "ao-len-merino", category: "outerwear", nameVi: "Áo len merino", nameEn: "Merino sweater", descriptionVi: "Len merino 100%, không gây ngứa, giặt máy được.", descriptionEn: "100% merino wool, itch-free, machine washable." },
  { slug: "binh-giu-nhiet", category: "kitchen", nameVi: "Bình giữ nhiệt 750 ml", nameEn: "Vacuum flask 750 ml", descriptionVi: "Giữ nóng 12 giờ, giữ lạnh 24 giờ, thép không gỉ 304.", descriptionEn: "Hot for 12 hours, cold for 24, 304 stainless steel." },
  { slug: "phin-ca-phe", category: "kitchen", nameVi: "Phin cà phê nhôm anod", nameEn: "Anodized coffee phin", descriptionVi: "Phin truyền thống, lỗ lọc đều, dễ vệ sinh.", descriptionEn: "The traditional Vietnamese filter, even holes, easy to clean." },
  { slug: "may-xay-tay", category: "kitchen", nameVi: "Máy xay cà phê tay", nameEn: "Hand coffee grinder", descriptionVi: "Lưỡi xay thép, 40 nấc chỉnh độ mịn.", descriptionEn: "Steel burrs with 40 grind settings." },
  { slug: "leu-hai-nguoi", category: "outdoor", nameVi: "Lều hai người", nameEn: "Two-person tent", descriptionVi: "Dựng trong 5 phút, nặng 1,8 kg.", descriptionEn: "Pitches in five minutes, weighs 1.8 kg." },
  { slug: "den-cam-trai", category: "outdoor", nameVi: "Đèn cắm trại sạc USB", nameEn: "USB camping lantern", descriptionVi: "Ba chế độ sáng, pin 20 giờ.", descriptionEn: "Three light modes, 20-hour battery." },
  { slug: "ghe-xep", category: "outdoor", nameVi: "Ghế xếp dã ngoại", nameEn: "Folding camp chair", descriptionVi: "Khung nhôm, chịu tải 120 kg.", descriptionEn: "Aluminium frame, carries 120 kg." },
  { slug: "tui-ngu-cu", category: "outdoor", nameVi: "Túi ngủ mùa hè (mẫu cũ)", nameEn: "Summer sleeping bag (old model)", descriptionVi: "Mẫu đã ngừng bán, thay bằng mẫu mới nhẹ hơn.", descriptionEn: "Discontinued; replaced by a lighter model.", retired: true },
] as const;

/** [product slug, member number, stars, title, body, staff response?] */
const REVIEWS: [string, number, number, string, string, string?][] = [
  ["ao-mua-sieu-nhe", 2, 5, "Survived the whole rainy season", "I wore it through the whole rainy season in Saigon.\n\n- Seams held up\n- Packs down well\n\nWould buy again."],
  ["ao-mua-sieu-nhe", 1, 4, "Nhẹ và khô ráo", "Mặc đi làm mỗi ngày, **rất nhẹ**. Mũ hơi nhỏ so với mũ bảo hiểm.", "Cảm ơn anh Châu! Mẫu mới có mũ rộng hơn, vừa mũ bảo hiểm nửa đầu."],
  ["ao-mua-sieu-nhe", 7, 2, "Zip started to stick", "After two months the zip sticks when wet. Otherwise fine.", "Sorry to hear that, Sophie. Your account manager will arrange a free zip replacement."],
  ["ao-mua-sieu-nhe", 9, 5, "Best purchase this year", "Light, dry, and the colour is great."],
  ["ao-khoac-gio", 3, 3, "Ổn trong tầm giá", "Chắn gió tốt nhưng không chống mưa lớn được."],
  ["ao-khoac-gio", 4, 4, "Great for morning rides", "Keeps the wind off on my morning bike rides to work."],
  ["ao-len-merino", 5, 5, "Mặc cả mùa đông Hà Nội", "Ấm, không ngứa, giặt máy vẫn giữ form."],
  ["ao-len-merino", 12, 1, "Shrank in the wash", "Followed the label and it still shrank a full size.", "We are sorry, Lucas. This batch had a labelling mistake; we are replacing it at no cost."],
  ["binh-giu-nhiet", 6, 5, "Trà vẫn nóng sau 10 tiếng", "Pha trà lúc 7 giờ sáng, 5 giờ chiều vẫn còn ấm."],
  ["binh-giu-nhiet", 8, 4, "Solid, a bit heavy", "Keeps coffee hot all morning. A little heavy for hiking."],
  ["binh-giu-nhiet", 10, 2, "Nắp bị rỉ", "Nắp bị rỉ nước khi để ngang trong balo."],
  ["phin-ca-phe", 1, 5, "Đúng vị cà phê phin", "Nhỏ giọt đều, khoảng 4 phút là xong một ly."],
  ["phin-ca-phe", 11, 5, "Like my grandmother's", "Exactly the taste I remember. Easy to clean."],
  ["phin-ca-phe", 14, 3, "Good, lid runs hot", "Works well, but the lid gets too hot to touch."],
  ["may-xay-tay", 13, 4, "Đều hạt", "Xay đều, hơi mỏi tay nếu xay cho 4 người."],
  ["may-xay-tay", 15, 1, "Handle snapped", "The handle snapped on day three.", "Charlotte, that should never happen. A replacement is on its way and we have opened a quality check."],
  ["may-xay-tay", 16, 3, "Tạm ổn", "Chất lượng ổn nhưng nấc chỉnh khó đọc."],
  ["leu-hai-nguoi", 17, 5, "Dựng lều một mình được", "Đi Tà Xùa, dựng một mình trong 6 phút. Mưa cả đêm không thấm."],
  ["leu-hai-nguoi", 18, 4, "Roomy for two", "Roomy for two adults, the vestibule is small."],
  ["den-cam-trai", 19, 5, "Sáng và bền pin", "Dùng 3 đêm liền chưa phải sạc."],
  ["den-cam-trai", 21, 2, "Hook broke", "The hanging hook broke the first time I used it."],
  ["ghe-xep", 20, 4, "Chắc chắn", "Ngồi câu cá cả buổi không mỏi lưng."],
  ["ghe-xep", 22, 3, "Heavier than expected", "Comfortable, but heavier than the description suggests."],
  ["tui-ngu-cu", 23, 4, "Still going strong", "Five summers in and still fine. Sad to see it retired."],
];

export async function seedCoCreation(db: Db, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const user = async (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true, accountManagerId: true } });
  const staff = await Promise.all([1, 2, 3].map((n) => user(`staff${n}@rapport.local`)));

  const categories: Record<string, string> = {};
  for (const [i, c] of CATEGORIES.entries()) {
    const id = newSortableId(ago(300));
    await db.productCategory.create({ data: { id, ...c, position: i + 1 } });
    categories[c.slug] = id;
  }
  const products: Record<string, Awaited<ReturnType<typeof createProduct>>> = {};
  for (const [i, p] of PRODUCTS.entries()) {
    products[p.slug] = await createProduct(db, {
      slug: p.slug, nameVi: p.nameVi, nameEn: p.nameEn, descriptionVi: p.descriptionVi, descriptionEn: p.descriptionEn,
      categoryId: categories[p.category]!, status: "retired" in p ? "retired" : "active", at: ago(280 - i),
    });
  }

  // Owners: every reviewer of an odd-numbered member owns what they reviewed (verified), recorded by their manager.
  for (const [i, [slug, n, rating, title, body, response]] of REVIEWS.entries()) {
    const member = await user(`member${n}@rapport.local`);
    const product = products[slug]!;
    const at = ago(90 - i * 3);
    if (n % 2 === 1 && member.accountManagerId) {
      await db.productOwnership.create({ data: { productId: product.id, memberId: member.id, recordedById: member.accountManagerId, recordedAt: ago(120) } });
      await addTouchpoint(db, {
        memberId: member.id, kind: "product.owner_recorded", actorId: member.accountManagerId, subject: { type: "product", id: product.id },
        data: { product: product.nameVi, productEn: product.nameEn, link: `/products/${slug}` }, at: ago(120),
      });
    }
    const helpfulBy = await Promise.all(Array.from({ length: (i * 7) % 5 }, (_, k) => user(`member${((n + k) % 28) + 2}@rapport.local`)));
    const responder = member.accountManagerId ?? staff[0]!.id;
    const reviewId = await createReview(db, {
      productId: product.id, product, authorId: member.id, rating, title, body, at,
      helpfulBy: [...new Set(helpfulBy.map((h) => h.id))].filter((id) => id !== member.id),
      response: response ? { by: responder, body: response, at: new Date(at.getTime() + DAY / 2) } : undefined,
    });
    if (rating <= 2) {
      await addTouchpoint(db, {
        memberId: member.id, kind: "review.needs_attention", actorId: null, subject: { type: "product_review", id: reviewId },
        data: { product: product.nameVi, productEn: product.nameEn, rating, link: `/staff/members/${member.id}` }, at,
      });
    }
  }
  for (const product of Object.values(products)) await recountRatings(db, product.id);

  // Phan Anh Khoa (member14, Loyal) reviewed his Phin and his manager recorded it later: with
  // Châu (member1) he makes "Loyal members who own the Phin coffee filter" two, one of whom says
  // no to offers (prisma/seed-offers.ts), so an offer to that segment visibly leaves someone out.
  const khoa = await user("member14@rapport.local");
  const phin = products["phin-ca-phe"]!;
  await db.productOwnership.create({ data: { productId: phin.id, memberId: khoa.id, recordedById: khoa.accountManagerId, recordedAt: ago(20) } });
  await addTouchpoint(db, {
    memberId: khoa.id, kind: "product.owner_recorded", actorId: khoa.accountManagerId, subject: { type: "product", id: phin.id },
    data: { product: phin.nameVi, productEn: phin.nameEn, link: "/products/phin-ca-phe" }, at: ago(20),
  });

  // One reported review waits for a moderator.
  const reported = await db.productReview.findFirstOrThrow({ where: { rating: 2, product: { slug: "den-cam-trai" } }, select: { id: true } });
  await db.reviewReport.create({
    data: { id: newSortableId(ago(1)), reviewId: reported.id, reporterId: (await user("member24@rapport.local")).id, reason: "other", note: "Có vẻ là lỗi sử dụng, không phải lỗi sản phẩm.", createdAt: ago(1) },
  });
  await seedIdeas(db, now, products, staff.map((s) => s.id));
  return { products };
}

type Status = "open" | "under_review" | "planned" | "in_progress" | "done" | "declined";

/** [title, author member number, product slug or null, votes, status path with comments, comments] */
const IDEAS: { title: string; author: number; product: string | null; votes: number; days: number; path: [Status, string?][]; body: string; comments?: [number, string][] }[] = [
  { title: "Chế độ tối cho ứng dụng di động", author: 3, product: null, votes: 14, days: 40, path: [["under_review"], ["planned", "Dự kiến phát hành trong quý tới. / Planned for next quarter."]], body: "Buổi tối dùng app rất chói mắt. Mong có **chế độ tối** như trên web." , comments: [[9, "Ủng hộ! Mắt mình đỡ mỏi hơn nhiều với dark mode."], [2, "+1, and please follow the phone's setting automatically."]] },
  { title: "Export my order history as CSV", author: 4, product: null, votes: 9, days: 30, path: [["under_review"], ["planned"], ["in_progress", "Our team started on this; first the last 24 months."]], body: "Our accountant asks for a spreadsheet every quarter. A CSV export would save an hour each time." },
  { title: "Mũ áo mưa rộng hơn để vừa mũ bảo hiểm", author: 1, product: "ao-mua-sieu-nhe", votes: 11, days: 80, path: [["under_review"], ["planned"], ["in_progress"], ["done", "Mẫu áo mưa mới có mũ rộng hơn 4 cm, vừa mũ bảo hiểm nửa đầu. Cảm ơn mọi người đã góp ý! / The new jacket's hood is 4 cm wider and fits over a half-face helmet."]], body: "Đi xe máy mùa mưa, mũ áo không trùm được mũ bảo hiểm." },
  { title: "Nắp bình giữ nhiệt chống rò rỉ khi để ngang", author: 10, product: "binh-giu-nhiet", votes: 7, days: 25, path: [["under_review", "Chúng tôi đang thử nghiệm gioăng silicon mới. / We are testing a new silicone seal."]], body: "Để bình nằm ngang trong balo thì nắp bị rỉ nước." },
  { title: "Giao hàng vào cuối tuần", author: 6, product: null, votes: 6, days: 12, path: [], body: "Mình đi làm cả tuần, chỉ nhận hàng được vào **thứ Bảy**." },
  { title: "Loyalty points for reviews", author: 8, product: null, votes: 3, days: 50, path: [["under_review"], ["declined", "We want reviews to stay honest, so we will not pay for them in any form. Thank you for the suggestion."]], body: "Give points for every review written, redeemable for discounts." },
  { title: "Lều có màu ngụy trang cho chụp ảnh chim", author: 17, product: "leu-hai-nguoi", votes: 2, days: 5, path: [], body: "Mình chụp ảnh chim, một màu lều xanh rêu sẽ rất hữu ích." },
  { title: "Lưu nhiều địa chỉ giao hàng", author: 12, product: null, votes: 8, days: 18, path: [["under_review"], ["planned"]], body: "Mình hay gửi quà cho bố mẹ ở quê. Mong lưu được nhiều địa chỉ." },
];

async function seedIdeas(db: Db, now: Date, products: Record<string, { id: string }>, staffIds: string[]) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const member = async (n: number) => (await db.user.findUniqueOrThrow({ where: { email: `member${n}@rapport.local` }, select: { id: true } })).id;
  const ids: string[] = [];
  for (const [i, idea] of IDEAS.entries()) {
    const start = ago(idea.days);
    const voters = await Promise.all(Array.from({ length: idea.votes - 1 }, async (_, k) => ({ userId: await member(((idea.author + k * 3) % 29) + 1), at: new Date(start.getTime() + (k + 1) * (idea.days * DAY) / (idea.votes + 1)) })));
    const step = (idea.days * DAY) / (idea.path.length + 2);
    ids.push(
      await createIdea(db, {
        authorId: await member(idea.author), title: idea.title, body: idea.body, at: start,
        productId: idea.product ? products[idea.product]!.id : null,
        voters: [...new Map(voters.map((v) => [v.userId, v])).values()],
        comments: await Promise.all((idea.comments ?? []).map(async ([n, body], k) => ({ authorId: await member(n), body, at: new Date(start.getTime() + (k + 1) * DAY) }))),
        history: idea.path.map(([to, comment], k) => ({ to, comment, by: staffIds[i % staffIds.length]!, at: new Date(start.getTime() + (k + 1) * step) })),
      }),
    );
  }
  // A duplicate of dark mode, merged: its votes live on the survivor, and it links there.
  const survivor = ids[0]!;
  const duplicateVoters = [await member(20), await member(21)];
  await createIdea(db, {
    authorId: await member(19), title: "Dark mode cho app", body: "App nên có giao diện tối.", at: ago(20),
    voters: duplicateVoters.map((userId) => ({ userId, at: ago(19) })),
    history: [{ to: "duplicate", by: staffIds[0]!, at: ago(15), comment: "Trùng với ý tưởng “Chế độ tối cho ứng dụng di động”, bình chọn đã được chuyển sang. / Merged into the dark mode idea." }],
    mergedIntoId: survivor,
  });
  const moved = [await member(19), ...duplicateVoters];
  await db.ideaVote.createMany({ data: moved.map((userId) => ({ ideaId: survivor, userId, createdAt: ago(19) })), skipDuplicates: true });
  await db.ideaFollow.createMany({ data: moved.map((userId) => ({ ideaId: survivor, userId, createdAt: ago(15) })), skipDuplicates: true });
  await db.idea.update({ where: { id: survivor }, data: { voteCount: await db.ideaVote.count({ where: { ideaId: survivor } }) } });
}
