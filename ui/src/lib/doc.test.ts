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
  it("carries a text of [case] it has no line for, blank as absent", () => {
    const added = { ...full, case: { ...full.case, plan_contact: "Denise R." } } as CaseDoc;
    const form = editable(added);
    expect((normalizeDoc(form).case as Record<string, unknown>).plan_contact).toBe("Denise R.");
    (form.case as Record<string, unknown>).plan_contact = "  ";
    expect((normalizeDoc(form).case as Record<string, unknown>).plan_contact).toBeNull();
  });
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

  it("keeps the days a state's law allows for a complaint", () => {
    const d = blankDoc();
    d.case.program = "state-doi";
    d.case.contract_days = 60;
    expect(normalizeDoc(d).case.contract_days).toBe(60);
  });

  it("trims text, drops empty tables and keeps contract days only for contracts and state complaints", () => {
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

  it("keeps an exhibit's id and the checklist items it meets, and sees a change to either", () => {
    const given = { ...full, exhibit: [{ ...full.exhibit[0], id: "oximetry", meets: ["oxygen-qualifying-test"] }] };
    const form = editable(given);
    const saved = fingerprint(form);
    expect(normalizeDoc(form).exhibit[0]).toMatchObject({ id: "oximetry", meets: ["oxygen-qualifying-test"] });
    form.exhibit[0].meets = [...form.exhibit[0].meets!, "oxygen-condition"];
    expect(fingerprint(form)).not.toBe(saved);
    expect(normalizeDoc(form).exhibit[0].meets).toEqual(["oxygen-qualifying-test", "oxygen-condition"]);
    form.exhibit[0].id = "  ";
    expect(normalizeDoc(form).exhibit[0].id).toBeNull();
    // An exhibit with neither reads back as it was sent.
    expect(normalizeDoc(editable(full)).exhibit[0]).toMatchObject({ id: null, meets: [] });
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

describe("dates as people write them", () => {
  it("are sent as ISO even before their field is left; what cannot be read is sent as typed", () => {
    const doc = editable(full);
    doc.case.notice_date = "9/10/2025";
    doc.case.received_date = "Sep 12 2025";
    doc.member.dob = "13/45/1945";
    doc.event[0].at = "9/3/2025 10:15am";
    doc.event[0].promised = "9/5/2025 5pm";
    doc.exhibit[0].date = "1 Sep 2025";
    const n = normalizeDoc(doc);
    expect(n.case.notice_date).toBe("2025-09-10");
    expect(n.case.received_date).toBe("2025-09-12");
    expect(n.member.dob).toBe("13/45/1945");
    expect(n.event[0]).toMatchObject({ at: "2025-09-03T10:15", promised: "2025-09-05T17:00" });
    expect(n.exhibit[0].date).toBe("2025-09-01");
    // The same meaning is the same document: nothing to save once the field stores ISO.
    doc.member.dob = "1945-01-23";
    const iso = editable(full);
    iso.case.received_date = "2025-09-12";
    iso.event[0].promised = "2025-09-05T17:00";
    expect(fingerprint(doc)).toBe(fingerprint(iso));
  });
});
