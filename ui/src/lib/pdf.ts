// PDF rendering with pdf.js, loaded on first use. The worker is bundled with the app (Vite
// `?url`), so nothing is fetched from the network.

import type { PDFDocumentProxy, RenderTask } from "pdfjs-dist";

type PdfJs = typeof import("pdfjs-dist");

let lib: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  lib ??= Promise.all([import("pdfjs-dist"), import("pdfjs-dist/build/pdf.worker.min.mjs?url")]).then(([m, worker]) => {
    m.GlobalWorkerOptions.workerSrc = worker.default;
    return m;
  });
  return lib;
}

/** Opens a PDF from its bytes (copied: pdf.js takes the buffer it is given). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const m = await pdfjs();
  return m.getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false }).promise;
}

const tasks = new WeakMap<HTMLCanvasElement, RenderTask>();

/**
 * Draws page `n` (1-based) into a canvas `cssWidth` CSS pixels wide, sharp on high-density
 * screens. A render still running on the same canvas is cancelled first.
 */
export async function renderPage(doc: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  tasks.get(canvas)?.cancel();
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const viewport = page.getViewport({ scale: (cssWidth / base.width) * dpr });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${Math.floor(viewport.height / dpr)}px`;
  const task = page.render({ canvas, viewport });
  tasks.set(canvas, task);
  try {
    await task.promise;
  } catch (e) {
    if ((e as { name?: string })?.name !== "RenderingCancelledException") throw e;
  } finally {
    if (tasks.get(canvas) === task) tasks.delete(canvas);
  }
}

/** The first page of a PDF as a PNG object URL `width` CSS pixels wide (for thumbnails). */
export async function firstPageImage(bytes: Uint8Array, width: number): Promise<string> {
  const doc = await openPdf(bytes);
  try {
    const canvas = document.createElement("canvas");
    await renderPage(doc, 1, canvas, width);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (!blob) throw new Error("could not draw the first page");
    return URL.createObjectURL(blob);
  } finally {
    void doc.destroy();
  }
}
