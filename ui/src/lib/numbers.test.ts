// Numbers typed as text: what is not a number is named, never dropped.
import { describe, expect, it } from "vitest";
import { fieldShown, locationOf, notANumber, numberText, readNumber, says, stepNumber, withoutRow } from "./numbers";
import { blankDoc } from "./doc";
import { fieldKey } from "./problems";

describe("reading a number field", () => {
  it("reads numbers as people type them, and nothing as empty", () => {
    expect(readNumber("45")).toEqual({ kind: "number", value: 45 });
    expect(readNumber(" 2.5 ")).toEqual({ kind: "number", value: 2.5 });
    expect(readNumber("-3")).toEqual({ kind: "number", value: -3 });
    expect(readNumber(".5")).toEqual({ kind: "number", value: 0.5 });
    // Half typed: "4." is on its way to 4.5.
    expect(readNumber("4.")).toEqual({ kind: "number", value: 4 });
    expect(readNumber("   ")).toEqual({ kind: "empty" });
  });

  it("keeps what is not a number as typed, instead of making it empty", () => {
    expect(readNumber("45 days")).toEqual({ kind: "unreadable", text: "45 days" });
    expect(readNumber("87%")).toEqual({ kind: "unreadable", text: "87%" });
    expect(readNumber("1,000")).toEqual({ kind: "unreadable", text: "1,000" });
    expect(readNumber("forty")).toEqual({ kind: "unreadable", text: "forty" });
    expect(readNumber("1e999")).toEqual({ kind: "unreadable", text: "1e999" });
  });

  it("says what to type instead", () => {
    expect(notANumber("45 days ", "days", "45")).toBe("“45 days” is not a number: type just the days, e.g. 45");
  });

  it("shows a value, and knows text that already says it", () => {
    expect(numberText(45)).toBe("45");
    expect(numberText(null)).toBe("");
    expect(says("45.0", 45)).toBe(true);
    expect(says("", null)).toBe(true);
    expect(says("45", 46)).toBe(false);
    expect(says("45 days", null)).toBe(false);
  });

  it("steps with the arrow keys within the field's range, without drifting", () => {
    expect(stepNumber(45, 1, "1", 1, 3650)).toBe(46);
    expect(stepNumber(1, -1, "1", 1, 3650)).toBe(1);
    expect(stepNumber(0.2, 1, "0.1")).toBe(0.3);
    expect(stepNumber(null, 1, "1", 1, 3650)).toBe(1);
    expect(stepNumber(null, -1, "any")).toBe(-1);
  });
});

describe("where text that is not a number belongs", () => {
  it("names a reading's field as the library names its place", () => {
    expect(locationOf("spo2[0].percent")).toBe("spo2 1: percent");
    expect(fieldKey(locationOf("wound[2].depth_cm"))).toBe("wound[2].depth_cm");
    expect(locationOf("case.contract_days")).toBe("case.contract_days");
  });

  it("counts only fields that show: the days for the programs that ask for them, rows still there", () => {
    const doc = blankDoc();
    doc.case.program = "medicare-advantage";
    expect(fieldShown(doc, "case.contract_days")).toBe(false);
    doc.case.program = "state-doi";
    expect(fieldShown(doc, "case.contract_days")).toBe(true);
    expect(fieldShown(doc, "spo2[0].percent")).toBe(false);
    doc.spo2.push({ at: "2026-11-20T09:00", percent: null as unknown as number, activity: "rest", oxygen_lpm: 0, pulse: null });
    expect(fieldShown(doc, "spo2[0].percent")).toBe(true);
  });

  it("moves the texts of the rows after a removed row up with them", () => {
    const u = (text: string) => ({ text, message: text });
    const before = { "spo2[0].percent": u("a"), "spo2[1].pulse": u("b"), "spo2[2].percent": u("c"), "wound[1].length_cm": u("d"), "case.contract_days": u("e") };
    expect(withoutRow(before, "spo2", 1)).toEqual({ "spo2[0].percent": u("a"), "spo2[1].percent": u("c"), "wound[1].length_cm": u("d"), "case.contract_days": u("e") });
  });
});
