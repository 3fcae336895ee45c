// The IPC boundary for the UI's tests: every command of the generated table and every native
// helper of the shell is a `vi.fn()`; the rest of `lib/api.ts` (error shapes, filters) is real.
// Each test file mocks `../lib/api` with it:
//   vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));
import { vi } from "vitest";

type Api = typeof import("../lib/api");

export async function mockedApi(importOriginal: () => Promise<Api>): Promise<Api> {
  const real = await importOriginal();
  // From the generated table itself, so a new command is stubbed without a line here.
  const commands = Object.fromEntries(Object.keys(real.commands).map((name) => [name, vi.fn()])) as unknown as Api["commands"];
  // A plain store, as most tests have: the window opens on the cases (tests of the Unlock screen say otherwise).
  vi.mocked(commands.encryptionStatus).mockResolvedValue({ protection: "Plain", unlocked: false, first_run: false });
  const shell = {
    connected: () => true,
    pickDocuments: vi.fn(),
    pickFile: vi.fn(),
    pickFolder: vi.fn(),
    pickSavePath: vi.fn(),
    confirm: vi.fn(),
    onCloseRequested: vi.fn(async () => () => {}),
    onBuildProgress: vi.fn(async () => () => {}),
    onFileDrop: vi.fn(async () => () => {}),
  } as unknown as Api["shell"];
  return { ...real, isTauri: () => true, commands, shell };
}
