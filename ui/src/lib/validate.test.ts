import { describe, expect, it } from "vitest";
import { dateKindOf, isCptOrHcpcs, isIcd10cm, isIsoDate, isMoment, isPageSelection, npiIsValid, splitCodes, validateDoc } from "./validate";
import { blankDoc, normalizeDoc } from "./doc";
import type { CaseDoc } from "./bindings.gen";
import { CPT_OR_HCPCS_EXAMPLES, ICD10CM_EXAMPLES, NPI_EXAMPLES } from "./bindings.gen";

describe("the checks while typing agree with the library's", () => {
  it("on every example the library exports with its verdict", () => {
    for (const [code, ok] of ICD10CM_EXAMPLES) expect(isIcd10cm(code), `ICD-10-CM ${code}`).toBe(ok);
    for (const [code, ok] of CPT_OR_HCPCS_EXAMPLES) expect(isCptOrHcpcs(code), `HCPCS/CPT ${code}`).toBe(ok);
    for (const [npi, ok] of NPI_EXAMPLES) expect(npiIsValid(npi), `NPI ${npi}`).toBe(ok);
    expect(ICD10CM_EXAMPLES.some(([, ok]) => ok) && ICD10CM_EXAMPLES.some(([, ok]) => !ok)).toBe(true);
  });
});

describe("NPI check digit (Luhn with prefix 80840)", () => {
  it("accepts valid NPIs", () => {
    expect(npiIsValid("1234567893")).toBe(true); // the CMS example
    expect(npiIsValid("1829475635")).toBe(true); // the demo case's clinician
  });
  it("rejects a wrong check digit, wrong length or letters", () => {
    expect(npiIsValid("1234567890")).toBe(false);
    expect(npiIsValid("123456789")).toBe(false);
    expect(npiIsValid("12345678a3")).toBe(false);
    expect(npiIsValid("12345678931")).toBe(false);
  });
  it("catches every single-digit typo of a valid NPI", () => {
    const good = "1234567893";
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[i]) continue;
        const typo = good.slice(0, i) + d + good.slice(i + 1);
        expect(npiIsValid(typo), typo).toBe(false);
      }
    }
  });
});

describe("code shapes", () => {
  it("ICD-10-CM", () => {
    for (const ok of ["J44.1", "R09.02", "E11", "S72.001A", "L89.623", "U07.1", "J441"]) expect(isIcd10cm(ok), ok).toBe(true);
    for (const bad of ["J4", "44.1", "j44.1", "J44.", "J44.12345", "R09-02"]) expect(isIcd10cm(bad), bad).toBe(false);
  });
  it("HCPCS and CPT", () => {
    for (const ok of ["E1390", "K0001", "94760", "0001F", "0042T"]) expect(isCptOrHcpcs(ok), ok).toBe(true);
    for (const bad of ["E139", "W1390", "9476", "0001X", "e1390"]) expect(isCptOrHcpcs(bad), bad).toBe(false);
  });
  it("splits a typed list into upper-case codes", () => {
    expect(splitCodes(" j44.1, R09.02;E1390  ")).toEqual(["J44.1", "R09.02", "E1390"]);
    expect(splitCodes("")).toEqual([]);
  });
});

describe("dates, moments, page selections", () => {
  it("dates are YYYY-MM-DD and real", () => {
    expect(isIsoDate("2025-09-10")).toBe(true);
    expect(isIsoDate("2025-9-10")).toBe(false);
    expect(isIsoDate("2025-02-30")).toBe(false);
  });
  it("moments", () => {
    expect(isMoment("2025-09-03T10:15")).toBe(true);
    expect(isMoment("2025-09-03T10:15:00-05:00")).toBe(true);
    expect(isMoment("10:15")).toBe(false);
  });
  it("page selections", () => {
    expect(isPageSelection("1-3,5")).toBe(true);
    expect(isPageSelection("2")).toBe(true);
    expect(isPageSelection("3-1")).toBe(false);
    expect(isPageSelection("0")).toBe(false);
    expect(isPageSelection("a")).toBe(false);
  });
});

function goodDoc(): CaseDoc {
  const d = blankDoc();
  d.case.title = "Home oxygen";
  d.case.program = "medicare-advantage";
  d.case.notice_date = "2025-09-10";
  d.member = { name: "John Smith", dob: "1945-01-23", member_id: "XJH1", payer: "Acme", phone: "" };
  return normalizeDoc(d);
}

describe("validateDoc", () => {
  const today = new Date(2026, 0, 1);

  it("finds nothing wrong with a complete case", () => {
    expect(validateDoc(goodDoc(), today)).toEqual([]);
  });

  it("names each problem by its case.toml key", () => {
    const d = goodDoc();
    d.member.dob = "23/01/1945";
    d.case.notice_date = "";
    d.provider = { npi: "1234567890" };
    d.case.diagnoses = ["J44.1", "44.1"];
    const locs = validateDoc(d, today).map((p) => p.location);
    expect(locs).toEqual(["case.notice_date", "case.diagnoses", "member.dob", "provider.npi"]);
  });

  it("requires contract days for a contract", () => {
    const d = goodDoc();
    d.case.program = "contract";
    expect(validateDoc(d, today).map((p) => p.location)).toEqual(["case.contract_days"]);
    d.case.contract_days = 45;
    expect(validateDoc(d, today)).toEqual([]);
  });

  it("takes the days a state's law allows as optional for a state complaint, but whole and in range", () => {
    const d = goodDoc();
    d.case.program = "state-doi";
    expect(validateDoc(d, today)).toEqual([]);
    d.case.contract_days = 0;
    expect(validateDoc(d, today).map((p) => p.location)).toEqual(["case.contract_days"]);
    d.case.contract_days = 60;
    expect(validateDoc(d, today)).toEqual([]);
  });

  it("refuses a birth date in the future and a receipt before the notice", () => {
    const d = goodDoc();
    d.member.dob = "2030-01-01";
    d.case.received_date = "2025-09-01";
    expect(validateDoc(d, today).map((p) => p.location)).toEqual(["case.received_date", "member.dob"]);
  });

  it("never repeats a date of birth in its problems", () => {
    for (const dob of ["23/01/1945", "2030-01-01", "1850-01-01"]) {
      const d = goodDoc();
      d.member.dob = dob;
      const found = validateDoc(d, today).filter((p) => p.location === "member.dob");
      expect(found.length, dob).toBe(1);
      expect(found[0].message, dob).not.toContain(dob);
    }
  });

  it("names rows the way the library does", () => {
    const d = goodDoc();
    d.exhibit = [{ file: "docs/x.pdf", kind: "progress-note", date: "2025-13-01", title: "Note", pages: "5-2" }];
    d.event = [{ at: "2025-09-03T10:15", kind: "call", summary: "Called", promised: "Friday" }];
    d.spo2 = [{ at: "2025-09-02T08:00", percent: 140, activity: "rest" }];
    expect(validateDoc(d, today).map((p) => p.location)).toEqual(["exhibit 1 (docs/x.pdf): date", "exhibit 1 (docs/x.pdf): pages", "event 1: promised", "spo2 1: percent"]);
  });
});

describe("which fields hold dates", () => {
  it("names every date and date-and-time key, and no other", () => {
    for (const k of ["case.notice_date", "case.received_date", "case.notice_deadline", "member.dob", "exhibit[3].date"]) expect(dateKindOf(k), k).toBe("date");
    for (const k of ["case.pa_requested", "event[0].at", "event[2].promised", "spo2[1].at", "wound[0].at", "mobility[4].at", "submission[0].at"]) expect(dateKindOf(k), k).toBe("moment");
    for (const k of ["case.title", "exhibit[0].title", "event[0].summary", "member.name"]) expect(dateKindOf(k), k).toBeNull();
  });
});
