// Thumbnails of a case's documents, made once per file from the bytes the app hands over.

import { commands, toBytes } from "./api";
import type { FileFormat } from "./exhibits";
import { firstPageImage } from "./pdf";

export type Thumb = { kind: "image"; url: string } | { kind: "text"; text: string } | { kind: "none"; label: string };

const cache = new Map<string, Promise<Thumb>>();
const urls = new Map<string, string[]>();

const MIME: Partial<Record<FileFormat, string>> = { jpeg: "image/jpeg", png: "image/png" };

async function make(caseId: string, file: string, format: FileFormat, width: number): Promise<Thumb> {
  if (format === "unknown") return { kind: "none", label: "File" };
  if (format === "tiff" || format === "heic") {
    // The web view cannot show a TIFF or a HEIC photo: the app makes a small PNG of it (a
    // TIFF's first page).
    const png = toBytes(await commands.documentThumbnail(caseId, file));
    const copy = new Uint8Array(png.byteLength);
    copy.set(png);
    const url = URL.createObjectURL(new Blob([copy.buffer], { type: "image/png" }));
    urls.set(caseId, [...(urls.get(caseId) ?? []), url]);
    return { kind: "image", url };
  }
  const bytes = toBytes(await commands.documentBytes(caseId, file));
  if (format === "text" || format === "markdown") {
    const text = new TextDecoder().decode(bytes.subarray(0, 1200));
    return { kind: "text", text: text.split("\n").slice(0, 14).join("\n") };
  }
  let url: string;
  if (format === "pdf") {
    url = await firstPageImage(bytes, width);
  } else {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    url = URL.createObjectURL(new Blob([copy.buffer], { type: MIME[format] ?? "application/octet-stream" }));
  }
  urls.set(caseId, [...(urls.get(caseId) ?? []), url]);
  return { kind: "image", url };
}

/** The thumbnail of one document, made on first request. */
export function thumbnail(caseId: string, file: string, format: FileFormat, width = 160): Promise<Thumb> {
  const key = `${caseId}\u0000${file}`;
  let p = cache.get(key);
  if (!p) {
    p = make(caseId, file, format, width);
    // A failure is not remembered, so the next look tries again.
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** Lets go of a case's thumbnails (when the case is closed or its files change). */
export function forgetThumbnails(caseId: string): void {
  for (const key of [...cache.keys()]) if (key.startsWith(`${caseId}\u0000`)) cache.delete(key);
  for (const url of urls.get(caseId) ?? []) URL.revokeObjectURL(url);
  urls.delete(caseId);
}
