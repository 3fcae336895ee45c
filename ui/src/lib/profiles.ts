// The build dialog's destination profiles in words: the choice, what the build is expected to
// make before it runs, and the files it made. Sizes are in decimal megabytes, as the library
// writes the profiles' limits ("at most 10.0 MB a file"), so the two can be compared.
import type { EstimateView, ProfileView, SectionView, VolumeView } from "./bindings.gen";

/** No profile: one file, no limits (what a build without `--profile` makes). */
export const NO_PROFILE = "";

/** `10.2 MB`, `500 KB`: as the library's `human_bytes` writes them. */
export function decimalBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} KB`;
}

/** The label of a choice in the profile list. */
export function profileLabel(p: ProfileView): string {
  return `${p.name}${p.own ? " (yours)" : ""} — ${p.description}`;
}

/** The remembered choice, if it is still offered; else no profile. */
export function chosenProfile(remembered: string, offered: ProfileView[]): string {
  return offered.some((p) => p.name === remembered) ? remembered : NO_PROFILE;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Expected: 3 volumes, about 412 pages and 28.4 MB in all." */
export function estimateText(e: EstimateView): string {
  const files = e.volumes === 1 ? "one file" : `${plural(e.volumes, "volume")}`;
  return `Expected: ${files}, about ${plural(e.pages, "page")} and ${decimalBytes(e.bytes)}${e.volumes === 1 ? "" : " in all"}.`;
}

/** "Volume 2 of 3 · pages 141–288 · 9.8 MB", or for a packet of one file its pages and size. */
export function volumeText(v: VolumeView): string {
  const size = decimalBytes(v.bytes);
  if (v.of <= 1) return `${plural(v.pages, "page")} · ${size}`;
  return `Volume ${v.number} of ${v.of} · pages ${v.first_page}–${v.last_page} · ${size}`;
}

/** The file name a copy of volume `v` is offered under ("Hayes-packet-vol2-of-3.pdf"). */
export function copyName(memberName: string, v: VolumeView | null): string {
  const last = memberName.trim().split(/\s+/).pop() || "case";
  return v && v.of > 1 ? `${last}-packet-vol${v.number}-of-${v.of}.pdf` : `${last}-packet.pdf`;
}

/** A section of the packet as one file shows it: `page` and `pages` in that file's own pages. */
export type SectionInFile = SectionView & { page: number };

/**
 * The sections a file of the packet holds, each placed in that file's pages. A packet of one file
 * holds them all where they are; a volume holds those that overlap its stamped pages
 * (`first_page`–`last_page`), after the pages of its own it has before them (its cover).
 */
export function sectionsIn(sections: SectionView[], v: VolumeView | null): SectionInFile[] {
  if (!v || v.of <= 1) return sections.map((s) => ({ ...s, page: s.first_page }));
  const front = Math.max(0, v.pages - (v.last_page - v.first_page + 1));
  return sections
    .filter((s) => s.first_page <= v.last_page && s.first_page + Math.max(1, s.pages) - 1 >= v.first_page)
    .map((s) => {
      const from = Math.max(s.first_page, v.first_page);
      const to = Math.min(s.first_page + Math.max(1, s.pages) - 1, v.last_page);
      return { ...s, first_page: from, pages: to - from + 1, page: front + from - v.first_page + 1 };
    });
}
