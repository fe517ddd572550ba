/**
 * Realistic people for tests and the demo seed: a mix of Vietnamese and
 * English names, companies and languages.
 */
export const STAFF_PEOPLE = [
  { displayName: "Nguyễn Thị Mai", locale: "vi" },
  { displayName: "James Carter", locale: "en" },
  { displayName: "Trần Quốc Bảo", locale: "vi" },
] as const;

export const ADMIN_PERSON = { displayName: "Lê Hoàng Anh", locale: "vi" } as const;

export const MEMBER_PEOPLE = [
  { displayName: "Phạm Minh Châu", locale: "vi" },
  { displayName: "Emily Nguyen", locale: "en" },
  { displayName: "Võ Thanh Tùng", locale: "vi" },
  { displayName: "Oliver Smith", locale: "en" },
  { displayName: "Đặng Thu Hà", locale: "vi" },
  { displayName: "Bùi Văn Long", locale: "vi" },
  { displayName: "Sophie Martin", locale: "en" },
  { displayName: "Hoàng Ngọc Lan", locale: "vi" },
  { displayName: "Daniel Tran", locale: "en" },
  { displayName: "Ngô Đức Thắng", locale: "vi" },
  { displayName: "Đỗ Phương Linh", locale: "vi" },
  { displayName: "Lucas Brown", locale: "en" },
  { displayName: "Huỳnh Gia Hân", locale: "vi" },
  { displayName: "Phan Anh Khoa", locale: "vi" },
  { displayName: "Charlotte Lee", locale: "en" },
  { displayName: "Vũ Hải Yến", locale: "vi" },
  { displayName: "Trịnh Công Sơn", locale: "vi" },
  { displayName: "Grace Wilson", locale: "en" },
  { displayName: "Lý Thảo Vy", locale: "vi" },
  { displayName: "Mai Xuân Trường", locale: "vi" },
  { displayName: "Henry Pham", locale: "en" },
  { displayName: "Dương Bích Ngọc", locale: "vi" },
  { displayName: "Tạ Quang Huy", locale: "vi" },
  { displayName: "Ava Johnson", locale: "en" },
  { displayName: "Lâm Khánh Linh", locale: "vi" },
  { displayName: "Cao Tiến Dũng", locale: "vi" },
  { displayName: "Mia Davies", locale: "en" },
  { displayName: "Hồ Thị Kim Oanh", locale: "vi" },
  { displayName: "Kiều Minh Tuấn", locale: "vi" },
  { displayName: "Noah Walker", locale: "en" },
] as const;
