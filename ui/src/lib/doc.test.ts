import { describe, expect, it } from "vitest";
import { blankDoc, editable, fingerprint, normalizeDoc } from "./doc";
import type { CaseDoc } from "./bindings.gen";

const full: CaseDoc = {
  case: { kind: "provider-appeal", title: "T", program: "erisa", urgency: "standard", notice_date: "2025-09-10", reference: "R1", diagnoses: ["J44.1"], procedures: [] },
  member: { name: "A", dob: "1945-01-23", member_id: "M", payer: "P" },
  provider: { npi: "1234567893" },
  submitter: null,
  exhibit: [{ file: "docs/a.pdf", kind: "other", date: "2025-09-01", title: "A" }],
  event: [{ at: "2025-09-03T10:15", kind: "call", summary: "S", promised: null }],
  spo2: [{ at: "2025-09-02T08:00", percent: 86, activity: "rest" }],
  wound: [],
  mobility: [],
  submission: [],
  letter: null,
};

describe("the document round trip", () => {
  it("gives the library what it gave, with absent values as null", () => {
    const back = normalizeDoc(editable(full));
    expect(back.case.reference).toBe("R1");
    expect(back.case.received_date).toBeNull();
    expect(back.provider).toEqual({ organization: null, clinician: null, npi: "1234567893", phone: null, fax: null });
    expect(back.submitter).toBeNull();
    expect(back.event[0].promised).toBeNull();
    expect(back.spo2[0].oxygen_lpm).toBeNull();
    expect(back.letter).toBeNull();
  });

  it("is unchanged by an edit and back", () => {
    expect(fingerprint(editable(full))).toBe(fingerprint(editable(normalizeDoc(editable(full)))));
  });

  it("trims text, drops empty tables and keeps contract days only for contracts", () => {
    const d = blankDoc();
    d.case.title = "  Title  ";
    d.case.contract_days = 30;
    d.member.phone = "   ";
    d.submitter = { name: "", role: "", phone: "" };
    d.letter = "  \n";
    const n = normalizeDoc(d);
    expect(n.case.title).toBe("Title");
    expect(n.case.contract_days).toBeNull();
    expect(n.member.phone).toBeNull();
    expect(n.provider).toBeNull();
    expect(n.submitter).toBeNull();
    expect(n.letter).toBeNull();
  });

  it("turns empty number inputs into null", () => {
    const d = editable(full);
    d.spo2[0].pulse = "" as unknown as number;
    d.spo2[0].percent = "91" as unknown as number;
    const n = normalizeDoc(d);
    expect(n.spo2[0].pulse).toBeNull();
    expect(n.spo2[0].percent).toBe(91);
  });
});
