import { describe, expect, it } from "vitest";
import { caseStatus, matchesQuery, sortName, visibleCases, type ListView } from "./caselist";
import type { CaseOverview, DeadlineStatus, DeadlineView } from "./bindings.gen";

const now = new Date(2026, 10, 26, 10, 0);

function dl(due: string, status: DeadlineStatus = "open"): DeadlineView {
  return { kind: "file-appeal", label: "File", due, due_time: null, rule_id: "r", citation: "c", counted_from: "", basis: "", basis_given: true, due_text: due, time_zone: null, closed: false, days_left: 0, status, warnings: [] };
}

function c(id: string, name: string, kind: string, due: string | null, extra: Partial<CaseOverview> = {}): CaseOverview {
  return { id, title: `Case ${id}`, kind, kind_label: kind, program: "erisa", program_label: "ERISA", member_name: name, member_id: `ID-${id}`, reference: `REF-${id}`, clinician: null, claim_number: null, authorization_number: null, exhibits: 0, next_deadline: due ? dl(due) : null, missed_promises: 0, ...extra };
}

const cases = [
  c("1", "Walter Hayes", "provider-appeal", "2027-01-18", { member_id: "MAH4417730921", reference: "LAP-UM-2026-041773", title: "Home oxygen authorization denial", clinician: "Priya Natarajan, MD", authorization_number: "PA-88213406" }),
  c("2", "Rosa Delgado", "provider-appeal", "2026-11-20", { title: "Power wheelchair (K0823) denied", claim_number: "CLM-2026-55120" }),
  c("3", "Anna Kowalski", "member-grievance", "2026-11-30"),
  c("4", "Mae Thompson", "regulator-complaint", null),
  c("5", "Zoë Adams", "member-grievance", "2026-12-20"),
];
const view = (v: Partial<ListView>): ListView => ({ sort: "deadline", kind: "", status: "", query: "", ...v });
const ids = (list: CaseOverview[]) => list.map((x) => x.id);

describe("the case list", () => {
  it("sorts by the soonest deadline, overdue first, no deadline last", () => {
    expect(ids(visibleCases(cases, view({}), now))).toEqual(["2", "3", "5", "1", "4"]);
  });

  it("sorts by member last name, then first name", () => {
    expect(ids(visibleCases(cases, view({ sort: "name" }), now))).toEqual(["5", "2", "1", "3", "4"]);
    expect(sortName("Walter Hayes")).toBe("Hayes Walter");
    expect(sortName("Cher")).toBe("Cher");
  });

  it("sorts recently added first (the store lists oldest first)", () => {
    expect(ids(visibleCases(cases, view({ sort: "recent" }), now))).toEqual(["5", "4", "3", "2", "1"]);
  });

  it("filters by kind and by status", () => {
    expect(ids(visibleCases(cases, view({ kind: "member-grievance" }), now))).toEqual(["3", "5"]);
    expect(ids(visibleCases(cases, view({ status: "overdue" }), now))).toEqual(["2"]);
    expect(ids(visibleCases(cases, view({ status: "due-soon" }), now))).toEqual(["3"]);
    expect(ids(visibleCases(cases, view({ status: "none" }), now))).toEqual(["4"]);
  });

  it("searches by name, member ID or reference", () => {
    expect(ids(visibleCases(cases, view({ query: "hayes" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "MAH44177" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "lap-um-2026" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "LAPUM2026" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "zoe" }), now))).toEqual(["5"]);
    expect(ids(visibleCases(cases, view({ query: "nobody" }), now))).toEqual([]);
  });

  it("also finds the clinician, the title, and the claim and authorization numbers", () => {
    expect(ids(visibleCases(cases, view({ query: "natarajan" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "wheelchair" }), now))).toEqual(["2"]);
    expect(ids(visibleCases(cases, view({ query: "oxygen hayes" }), now))).toEqual(["1"]);
    expect(ids(visibleCases(cases, view({ query: "CLM-2026-55120" }), now))).toEqual(["2"]);
    expect(ids(visibleCases(cases, view({ query: "clm202655120" }), now))).toEqual(["2"]);
    expect(ids(visibleCases(cases, view({ query: "PA-88213406" }), now))).toEqual(["1"]);
  });

  it("matches every word of a search, in any order", () => {
    expect(matchesQuery(cases[0], "hayes walter")).toBe(true);
    expect(matchesQuery(cases[0], "hayes rosa")).toBe(false);
    expect(matchesQuery(cases[0], "   ")).toBe(true);
  });

  it("gives each case its live status", () => {
    expect(caseStatus(cases[1], now)).toBe("overdue");
    expect(caseStatus(cases[3], now)).toBe("none");
  });
});
