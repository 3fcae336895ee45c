// The one door from the screens to the app: the generated typed commands and events, the native
// dialogs (opened by the shell, which records what is picked: the commands accept no other
// path), file drops from the file manager, and the shape of errors. Screens import from here
// only; nothing else in the UI talks to Tauri.

import { isTauri as tauriPresent } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { commands as generated, EVENTS } from "./bindings.gen";
import type { AppError, AppErrorKind, ProgressView } from "./bindings.gen";

export type * from "./bindings.gen";
export { EVENTS };

export type Commands = typeof generated;

/**
 * The app's commands, one typed function each. A copy of the generated table, so that the
 * development-only fixture mode (`?fixture` under `npm run dev`) can stand in for the shell.
 */
export const commands: Commands = { ...generated };

/** Whether the UI runs inside the Redress desktop app (and not in a plain browser). */
export function isTauri(): boolean {
  return shell.connected();
}

/**
 * What each kind of error means to the person, written after "failed"; every kind of the
 * library's union is here (the type checker says when one is missing or no longer exists).
 */
export const ERROR_KINDS: Record<AppErrorKind, string> = {
  invalid: "",
  "not-found": "not found",
  store: "the case database had a problem",
  io: "a file could not be read or written",
  cancelled: "",
  "needs-password": "the file needs its password",
  "wrong-password": "the password does not open the file",
  document: "the file cannot be used",
  "no-packet": "",
  "not-picked": "only files you pick or drop can be used",
  "needs-passphrase": "the cases are encrypted: unlock them first",
  "wrong-passphrase": "the passphrase does not open the cases",
  switching: "the cases are being encrypted or decrypted: wait until it is done",
  other: "",
};

function isErrorKind(k: unknown): k is AppErrorKind {
  return typeof k === "string" && Object.hasOwn(ERROR_KINDS, k);
}

/** Whatever a command rejected with, as an `AppError` to switch on. */
export function asAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) {
    const x = e as Partial<AppError>;
    const kind: AppErrorKind = isErrorKind(x.kind) ? x.kind : "other";
    return { kind, message: String(x.message ?? ""), problems: Array.isArray(x.problems) ? x.problems : [] };
  }
  if (!isTauri()) {
    return { kind: "other", message: "Redress's engine is not connected: this window is running outside the desktop app.", problems: [] };
  }
  if (typeof e === "string") return { kind: "other", message: e, problems: [] };
  if (e instanceof Error) return { kind: "other", message: e.message, problems: [] };
  return { kind: "other", message: "Something went wrong.", problems: [] };
}

/** Bytes from a command: Tauri sends raw bytes as an ArrayBuffer (older shells: a number array). */
export function toBytes(x: ArrayBuffer | ArrayLike<number> | Uint8Array): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  return Uint8Array.from(x as ArrayLike<number>);
}

const LAST_FOLDER_KEY = "redress.lastDocumentFolder";
const CHECKLIST_PAGE_KEY = "redress.checklistPage";
const SEARCHABLE_SCANS_KEY = "redress.searchableScans";
const PROFILE_KEY = "redress.destinationProfile";

/** The folder of the first picked file (`/a/b/c.pdf` → `/a/b`; `C:\a\c.pdf` → `C:\a`). */
export function folderOf(path: string): string | null {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut <= 0) return cut === 0 ? path.slice(0, 1) : null;
  return path.slice(0, cut);
}

/** A yes/no choice of the person's, kept across cases and restarts (off until chosen). */
function rememberedChoice(key: string) {
  return {
    get(): boolean {
      try {
        return localStorage.getItem(key) === "yes";
      } catch {
        return false;
      }
    },
    set(on: boolean): void {
      try {
        localStorage.setItem(key, on ? "yes" : "no");
      } catch {
        // Storage unavailable: the choice lasts until the app closes.
      }
    },
  };
}

/** Whether packets carry the coverage-criteria page (off until chosen: some do not want a
 *  reviewer to see the gaps). */
export const checklistPage = rememberedChoice(CHECKLIST_PAGE_KEY);

/** Whether a build reads scanned pages by OCR so the packet can be searched (off until chosen:
 *  the first build reads each scanned page, a few seconds each). */
export const searchableScans = rememberedChoice(SEARCHABLE_SCANS_KEY);

/** A text choice of the person's, kept across cases and restarts (empty until chosen). */
function rememberedText(key: string) {
  return {
    get(): string {
      try {
        return localStorage.getItem(key) ?? "";
      } catch {
        return "";
      }
    },
    set(value: string): void {
      try {
        localStorage.setItem(key, value);
      } catch {
        // Storage unavailable: the choice lasts until the app closes.
      }
    },
  };
}

/** The destination profile packets are built for, by name (empty: none, one file without
 *  limits); remembered because a person usually sends to the same kind of place. */
export const destinationProfile = rememberedText(PROFILE_KEY);

/** Where the person last picked documents, so the dialog opens there again. */
export const lastFolder = {
  get(): string | undefined {
    try {
      return localStorage.getItem(LAST_FOLDER_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  },
  remember(paths: string[]): void {
    const dir = paths.length ? folderOf(paths[0]) : null;
    try {
      if (dir) localStorage.setItem(LAST_FOLDER_KEY, dir);
    } catch {
      // Storage unavailable: the dialog opens in its own default place next time.
    }
  },
};

export type DropEvent = { type: "enter"; paths: string[] } | { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/** The native side of the UI: dialogs and window events. Swappable only for the dev fixture mode. */
export const shell = {
  connected: (): boolean => tauriPresent(),

  /** Asks for documents to add, in the folder last used; null when the person cancels. */
  async pickDocuments(): Promise<string[] | null> {
    const paths = await commands.pickDocuments(lastFolder.get() ?? null);
    if (paths) lastFolder.remember(paths);
    return paths;
  },

  /** Asks for one notice (a PDF or a picture) or one claim file to read; null when cancelled. */
  async pickFile(kind: "notice" | "claim"): Promise<string | null> {
    const start = lastFolder.get() ?? null;
    const picked = kind === "notice" ? await commands.pickNotice(start) : await commands.pickClaimFile(start);
    if (picked) lastFolder.remember([picked]);
    return picked;
  },

  /** Asks for a case folder to import, or the folder to export a case into; null when cancelled. */
  async pickFolder(purpose: "import" | "export"): Promise<string | null> {
    return purpose === "import" ? commands.pickCaseFolder() : commands.pickExportFolder();
  },

  /** Asks where to save a PDF (the packet's copy unless `title` says what else); null when cancelled. */
  async pickSavePath(defaultName: string, title = "Save a copy of the packet"): Promise<string | null> {
    return commands.pickSavePath(defaultName, title);
  },

  /** Asks a yes/no question in a native dialog; true for yes. */
  async confirm(message: string, title: string, yes: string, no: string): Promise<boolean> {
    return commands.ask(message, title, yes, no);
  },

  /**
   * Calls `mayClose` when the person closes the window; the window closes only if it resolves
   * true (the callback saves what it can first, and asks about what it cannot).
   */
  async onCloseRequested(mayClose: () => Promise<boolean>): Promise<() => void> {
    return getCurrentWindow().onCloseRequested(async (e) => {
      if (!(await mayClose())) e.preventDefault();
    });
  },

  /** Calls back with each build-progress event until the returned function is called. */
  async onBuildProgress(cb: (p: ProgressView) => void): Promise<() => void> {
    return listen<ProgressView>(EVENTS.buildProgress, (e) => cb(e.payload));
  },

  /** Calls back when files are dragged over, leave, or are dropped on the window. */
  async onFileDrop(cb: (e: DropEvent) => void): Promise<() => void> {
    return getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "drop" || p.type === "enter") cb({ type: p.type, paths: p.paths });
      else cb({ type: p.type });
    });
  },
};
