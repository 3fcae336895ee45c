import { describe, expect, it } from "vitest";
import { chosenProfile, copyName, decimalBytes, estimateText, profileLabel, sectionsIn, volumeText } from "./profiles";
import type { ProfileView, SectionView, VolumeView } from "./bindings.gen";

const portal: ProfileView = { name: "portal-10mb", description: "An upload portal taking 10 MB a file", enforces: ["at most 10.0 MB a file"], fax: false, own: false };
const mine: ProfileView = { name: "state-doi", description: "The state's portal", enforces: [], fax: false, own: true };

function volume(over: Partial<VolumeView> = {}): VolumeView {
  return { path: "/p/hayes-packet-vol2-of-3.pdf", name: "hayes-packet-vol2-of-3.pdf", number: 2, of: 3, pages: 148, first_page: 141, last_page: 288, bytes: 9_812_345, sha256: "a".repeat(64), ...over };
}

describe("the destination profiles in words", () => {
  it("writes sizes as the library writes the limits, in decimal megabytes", () => {
    expect(decimalBytes(10_000_000)).toBe("10.0 MB");
    expect(decimalBytes(9_812_345)).toBe("9.8 MB");
    expect(decimalBytes(500_000)).toBe("500 KB");
  });

  it("labels a person's own profile as theirs", () => {
    expect(profileLabel(portal)).toBe("portal-10mb — An upload portal taking 10 MB a file");
    expect(profileLabel(mine)).toBe("state-doi (yours) — The state's portal");
  });

  it("keeps a remembered choice only while it is offered", () => {
    expect(chosenProfile("state-doi", [portal, mine])).toBe("state-doi");
    expect(chosenProfile("state-doi", [portal])).toBe("");
    expect(chosenProfile("", [portal])).toBe("");
  });

  it("says what a build is expected to make before it runs", () => {
    expect(estimateText({ profile: "portal-10mb", pages: 412, bytes: 28_400_000, volumes: 3 })).toBe("Expected: 3 volumes, about 412 pages and 28.4 MB in all.");
    expect(estimateText({ profile: "", pages: 1, bytes: 120_000, volumes: 1 })).toBe("Expected: one file, about 1 page and 120 KB.");
  });

  it("lists a volume by its number, its stamped pages and its size", () => {
    expect(volumeText(volume())).toBe("Volume 2 of 3 · pages 141–288 · 9.8 MB");
    expect(volumeText(volume({ number: 1, of: 1, pages: 24, bytes: 629_146 }))).toBe("24 pages · 629 KB");
  });

  it("offers a copy under the member's last name and the volume", () => {
    expect(copyName("Dorothy  Hayes ", volume())).toBe("Hayes-packet-vol2-of-3.pdf");
    expect(copyName("Dorothy Hayes", volume({ of: 1, number: 1 }))).toBe("Hayes-packet.pdf");
    expect(copyName("", null)).toBe("case-packet.pdf");
  });
});

describe("the sections of one file of the packet", () => {
  const sections: SectionView[] = [
    { kind: "cover", title: "Cover", first_page: 1, pages: 1 },
    { kind: "exhibit", title: "Exhibit 1", first_page: 2, pages: 150 },
    { kind: "exhibit", title: "Exhibit 2", first_page: 152, pages: 100 },
    { kind: "manifest", title: "Manifest", first_page: 252, pages: 1 },
  ];

  it("are all of them, where they are, in a packet of one file", () => {
    expect(sectionsIn(sections, null).map((s) => [s.title, s.page])).toEqual([["Cover", 1], ["Exhibit 1", 2], ["Exhibit 2", 152], ["Manifest", 252]]);
  });

  it("are those a volume holds, after its own cover, an exhibit split across volumes in both", () => {
    // Volume 2 holds stamped pages 141–252 after a cover of its own: 113 pages in all.
    const v = volume({ first_page: 141, last_page: 252, pages: 113 });
    expect(sectionsIn(sections, v).map((s) => [s.title, s.first_page, s.pages, s.page])).toEqual([
      ["Exhibit 1", 141, 11, 2],
      ["Exhibit 2", 152, 100, 13],
      ["Manifest", 252, 1, 113],
    ]);
    const first = volume({ number: 1, first_page: 1, last_page: 140, pages: 140 });
    expect(sectionsIn(sections, first).map((s) => [s.title, s.pages, s.page])).toEqual([["Cover", 1, 1], ["Exhibit 1", 139, 2]]);
  });
});
