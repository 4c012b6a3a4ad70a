/**
 * The two commands every node runs at every boot: `boot` (cluster-detect.service) and `render` (each daemon's
 * ExecStartPre). Their modules are static imports, so the runtime loads their code with the command table's rather
 * than in a second round; the table of every command (main.ts) and the boot-time entry (boot_main.ts) share them.
 * Their `run` is imported by name, not as a namespace object: the bundler's helper for those sits in a chunk of its
 * own, one more module for every start to load.
 *
 * @module
 */
import { run as runBoot } from "./boot.ts";
import { run as runRender } from "./render.ts";
import type { Command } from "./dispatch.ts";
import { BOOT_OPTIONS, RENDER_OPTIONS } from "./options.ts";

export const BOOT: Command = {
  name: "boot",
  summary: "detect, generate, render, activate: what cluster-detect.service runs",
  options: BOOT_OPTIONS,
  load: () => Promise.resolve({ run: runBoot }),
};

export const RENDER: Command = {
  name: "render",
  summary: "one daemon's config files, for its unit's ExecStartPre",
  options: RENDER_OPTIONS,
  load: () => Promise.resolve({ run: runRender }),
};

/** The commands the launcher hands to the boot-time entry; every other one runs from main.ts. */
export const EVERY_BOOT: readonly Command[] = [BOOT, RENDER];
