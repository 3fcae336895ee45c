import { describe, expect, it } from "vitest";
import { boxStyle, fileKind, sourceWords, stillNeeded, suggestTitle, sureness, withValues } from "./notice";
import { blankDoc } from "./doc";
import { scannedNotice } from "../test/reading";

const r = scannedNotice();
const byTarget = (t: string) => r.values.find((v) => v.target === t)!;

describe("what reading a notice found, in the confirm view's terms", () => {
  it("tells notices from claim files by their names", () => {
    expect(fileKind("/home/you/Downloads/Denial Letter.PDF")).toBe("notice");
    expect(fileKind("IMG_4471.HEIC")).toBe("notice");
    expect(fileKind("fax.tif")).toBe("notice");
    expect(fileKind("eob.json")).toBe("claim");
    expect(fileKind("remit.835")).toBe("claim");
    expect(fileKind("notes.txt")).toBeNull();
    expect(fileKind("no-extension")).toBeNull();
  });

  it("says where each value came from and how sure, in words", () => {
    expect(sureness(0.95)).toBe("sure");
    expect(sureness(0.74)).toBe("fairly sure");
    expect(sureness(0.55)).toBe("not sure: check it");
    expect(sureness(0.2)).toBe("a guess: check it");
    expect(sourceWords(byTarget("member.member_id"), r)).toBe("read by OCR, fairly sure");
    const text = { ...r, pages: [{ ...r.pages[0], source: "text_layer" as const }] };
    expect(sourceWords(byTarget("member.name"), text)).toBe("read from the PDF's text, sure");
    const claim = { ...r, kind: "claim", pages: [] };
    expect(sourceWords({ ...byTarget("member.name"), source: { ...byTarget("member.name").source, page: null, rect: null } }, claim)).toBe("from the claim file, sure");
  });

  it("places a box by the page's own units, whatever size the page is shown", () => {
    expect(boxStyle({ x: 170, y: 550, w: 850, h: 110 }, { width: 1700, height: 2200 })).toBe("left:10.000%;top:25.000%;width:50.000%;height:5.000%");
    expect(boxStyle({ x: 61.2, y: 79.2, w: 306, h: 12 }, { width: 612, height: 792 })).toBe("left:10.000%;top:10.000%;width:50.000%;height:1.515%");
  });

  it("puts values into a case as the library does: a list key gets each code once", () => {
    const doc = withValues(blankDoc(), [...r.values, byTarget("case.diagnoses"), { target: "case.diagnoses", value: "R09.02" }, { target: "provider.npi", value: "1234567893" }]);
    expect(doc.case.notice_date).toBe("2026-03-02");
    expect(doc.member.member_id).toBe("MAH4417730921");
    expect(doc.case.diagnoses).toEqual(["J44.1", "R09.02"]);
    expect(doc.provider?.npi).toBe("1234567893");
    expect(blankDoc().case.diagnoses).toEqual([]);
  });

  it("asks for what a new case needs and the notice lacks: date of birth, kind and title", () => {
    expect(stillNeeded(blankDoc(), r.values)).toEqual(["case.kind", "case.title", "member.dob"]);
    // A value cleared is a field to fill in.
    const left = r.values.filter((v) => v.target !== "member.member_id" && v.target !== "case.program");
    expect(stillNeeded(blankDoc(), left)).toEqual(["case.kind", "case.title", "case.program", "member.member_id", "member.dob"]);
    // What the person has typed in already is not asked again, unless it is wrong.
    const doc = blankDoc();
    doc.member.dob = "1948-07-14";
    expect(stillNeeded(doc, r.values)).toEqual(["case.kind", "case.title"]);
    doc.member.dob = "not a date";
    expect(stillNeeded(doc, r.values)).toContain("member.dob");
  });

  it("suggests a title from the plan and the notice's date", () => {
    expect(suggestTitle(r.values)).toBe("Denial by Lakeside Advantage Plan of 2026-03-02");
    expect(suggestTitle([])).toBe("");
  });
});
