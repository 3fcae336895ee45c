// Element ids from field keys (`member.dob` → `f-member-dob`, `exhibit[1].date` → `f-exhibit-1-date`).

export function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9_]+/g, "-").replace(/-+$/, "")}`;
}
