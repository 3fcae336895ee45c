import { describe, expect, it } from "vitest";
import { UndoStack, fieldLabel } from "./undo";

describe("the undo list", () => {
  it("gives back the newest change first and forgets the oldest past its limit", () => {
    const u = new UndoStack<number>(3);
    for (const n of [1, 2, 3, 4]) u.push(`step ${n}`, n);
    expect(u.size).toBe(3);
    expect(u.peek()?.label).toBe("step 4");
    expect([u.pop()?.before, u.pop()?.before, u.pop()?.before, u.pop()]).toEqual([4, 3, 2, undefined]);
  });

  it("names a field's change from its key", () => {
    expect(fieldLabel("member.name")).toBe("Member name");
    expect(fieldLabel("member.dob")).toBe("Member date of birth");
    expect(fieldLabel("exhibit[2].date")).toBe("Exhibit date");
    expect(fieldLabel("case.notice_date")).toBe("Notice date");
    expect(fieldLabel("provider.npi")).toBe("Provider NPI");
  });
});
