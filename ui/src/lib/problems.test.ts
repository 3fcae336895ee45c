import { describe, expect, it } from "vitest";
import { currentProblems, fieldKey, groupProblems, labelColumns, parseLocation, problemsAt, recordProblems, tabOf, valueAt } from "./problems";
import { blankDoc } from "./doc";

describe("problem locations", () => {
  it("reads table keys", () => {
    expect(parseLocation("member.dob")).toEqual({ table: "member", index: null, file: null, key: "dob" });
    expect(fieldKey("case.notice_date")).toBe("case.notice_date");
    expect(fieldKey("provider.npi")).toBe("provider.npi");
    expect(fieldKey("submitter")).toBe("submitter");
  });

  it("reads array rows, with or without a key and a file", () => {
    expect(parseLocation("exhibit 2 (docs/x.pdf)")).toEqual({ table: "exhibit", index: 1, file: "docs/x.pdf", key: null });
    expect(fieldKey("exhibit 2 (docs/x.pdf)")).toBe("exhibit[1]");
    expect(fieldKey("exhibit 3 (docs/note.pdf): date")).toBe("exhibit[2].date");
    expect(fieldKey("event 3: promised")).toBe("event[2].promised");
    expect(fieldKey("spo2 1: percent")).toBe("spo2[0].percent");
    expect(fieldKey("case.toml: exhibit 1 (a b.pdf): title")).toBe("exhibit[0].title");
  });

  it("leaves what names no field unplaced", () => {
    expect(fieldKey("line 2")).toBe("");
    expect(fieldKey("")).toBe("");
    expect(fieldKey("letter.md")).toBe("letter");
  });

  it("groups messages by field, without repeats, and collects a row's fields", () => {
    const g = groupProblems([
      { location: "member.dob", message: "not a date" },
      { location: "member.dob", message: "not a date" },
      { location: "event 1: at", message: "bad time" },
      { location: "event 1: promised", message: "bad promise" },
      { location: "line 3", message: "syntax" },
    ]);
    expect(g.get("member.dob")).toEqual(["not a date"]);
    expect(g.get("")).toEqual(["syntax"]);
    expect(problemsAt(g, "event[0]")).toEqual([]);
    expect(problemsAt(g, "event[0]", true)).toEqual(["bad time", "bad promise"]);
  });

  it("finds the tab of each problem", () => {
    expect(tabOf("member.dob")).toBe("overview");
    expect(tabOf("exhibit 2 (docs/x.pdf): date")).toBe("documents");
    expect(tabOf("event 1: at")).toBe("log");
    expect(tabOf("wound 1: site")).toBe("readings");
    expect(tabOf("submission 1: to")).toBe("packet");
    expect(tabOf("letter.md")).toBe("letter");
  });
});

describe("the library's problems after an edit", () => {
  it("reads values by field key", () => {
    const d = blankDoc();
    d.member.dob = "1945";
    d.event.push({ at: "x", kind: "call", summary: "s" });
    expect(valueAt(d, "member.dob")).toBe("1945");
    expect(valueAt(d, "event[0].at")).toBe("x");
    expect(valueAt(d, "event[3].at")).toBeUndefined();
  });

  it("drops a field's problem once that field is edited, keeps the others", () => {
    const d = blankDoc();
    d.member.dob = "1945";
    d.case.title = "";
    const saved = recordProblems(
      [
        { location: "member.dob", message: "`1945` is not a date" },
        { location: "case.title", message: "must not be empty" },
        { location: "line 1", message: "odd" },
      ],
      d,
    );
    expect(currentProblems(saved, d)).toHaveLength(3);
    d.member.dob = "1945-01-23";
    expect(currentProblems(saved, d).map((p) => p.location)).toEqual(["case.title", "line 1"]);
  });
});

describe("a table row's problems", () => {
  it("name the column each is about, the row's own alone", () => {
    const problems = [
      { key: "spo2[0]", message: "A reading for this time is already in the table" },
      { key: "spo2[0].percent", message: "“87%” is not a number: type just the number, e.g. 94" },
      { key: "spo2[0].pulse", message: "Must be a number from 10 to 300" },
      { key: "spo2[0].pulse", message: "Must be a number from 10 to 300" },
    ];
    expect(labelColumns(problems, "spo2[0]", { percent: "SpO2 %", pulse: "Pulse" })).toEqual([
      "A reading for this time is already in the table",
      "SpO2 %: “87%” is not a number: type just the number, e.g. 94",
      "Pulse: Must be a number from 10 to 300",
    ]);
  });
});
