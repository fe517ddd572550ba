/**
 * The outreach hub (/staff/outreach): one console link for segments, announcements and offers,
 * spread into en.ts and vi.ts (same keys, checked). The sections' own names are their nav keys.
 */
export const outreachEn = {
  "nav.outreach": "Outreach",
  "outreach.title": "Outreach",
  "outreach.intro": "Reach members with what Rapport remembers about them: choose an audience, write to it, give it something. Every figure counts only the members you can see.",
  "outreach.segments.what": "Saved audiences built from stage, engagement, products, preferences and consent.",
  "outreach.announcements.what": "News in Vietnamese and English to a segment, in the app and by email, only to members who agreed.",
  "outreach.offers.what": "Codes, free services, gifts and early access for members who agreed to receive offers.",
  "outreach.figure": "{value}",
  "outreach.segments.saved": "Saved",
  "outreach.offers.active": "Valid today",
  "outreach.offers.redeemed": "Codes used",
  "outreach.segments.open": "Open segments",
  "outreach.announcements.open": "Open announcements",
  "outreach.offers.open": "Open offers",
} as const;

export const outreachVi: Record<keyof typeof outreachEn, string> = {
  "nav.outreach": "Tiếp cận",
  "outreach.title": "Tiếp cận khách hàng",
  "outreach.intro": "Tiếp cận thành viên bằng những gì Rapport ghi nhớ về họ: chọn nhóm khách hàng, gửi thông báo, tặng ưu đãi. Mọi con số chỉ tính các thành viên bạn được xem.",
  "outreach.segments.what": "Các nhóm khách hàng đã lưu, dựng từ giai đoạn, mức độ gắn bó, sản phẩm, sở thích và sự đồng ý.",
  "outreach.announcements.what": "Tin bằng tiếng Việt và tiếng Anh gửi tới một phân khúc, trong ứng dụng và qua email, chỉ tới thành viên đã đồng ý.",
  "outreach.offers.what": "Mã giảm giá, dịch vụ miễn phí, quà tặng và quyền dùng thử sớm cho thành viên đã đồng ý nhận ưu đãi.",
  "outreach.figure": "{value}",
  "outreach.segments.saved": "Đã lưu",
  "outreach.offers.active": "Còn hiệu lực hôm nay",
  "outreach.offers.redeemed": "Mã đã dùng",
  "outreach.segments.open": "Mở phân khúc",
  "outreach.announcements.open": "Mở thông báo",
  "outreach.offers.open": "Mở ưu đãi",
};
