/**
 * Canned replies: saved answers with {{variables}} that staff insert into
 * the chat composer. Expanded in the browser, into the draft, so staff read
 * and can change the text before it goes out.
 */
export const CANNED_VARIABLES = ["member.firstName", "member.name", "member.company", "agent.firstName", "agent.name"] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

const VARIABLE = /\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g;

/**
 * Vietnamese names put the family name first and are addressed by the given
 * name, which comes last ("Phạm Minh Châu" → "Châu"); other names by the
 * first word. A name is read as Vietnamese when it starts with one of the
 * common family names, which together cover most of the population.
 */
const VIETNAMESE_FAMILY_NAMES = new Set(
  "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trương lâm mai đào cao lưu tô tạ hà trịnh đoàn lương quách chu thái châu kiều la triệu tăng khúc".split(" "),
);

export function givenName(displayName: string) {
  const words = displayName.normalize("NFC").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "";
  if (words.length > 1 && VIETNAMESE_FAMILY_NAMES.has(words[0]!.toLocaleLowerCase("vi"))) return words.at(-1)!;
  return words[0]!;
}

export function cannedValues(member: { displayName: string; company?: string | null }, agent: { displayName: string }): Record<CannedVariable, string> {
  return {
    "member.firstName": givenName(member.displayName),
    "member.name": member.displayName,
    "member.company": member.company ?? "",
    "agent.firstName": givenName(agent.displayName),
    "agent.name": agent.displayName,
  };
}

/** Fills in known variables; anything else is left as typed (saving refuses unknown ones). */
export function expandCanned(template: string, values: Partial<Record<string, string>>) {
  return template.replace(VARIABLE, (whole, name: string) => values[name] ?? whole);
}

export function unknownVariables(template: string) {
  const known = new Set<string>(CANNED_VARIABLES);
  return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}
