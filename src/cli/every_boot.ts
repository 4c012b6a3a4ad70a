/**
 * The two commands every node runs at every boot: `boot` (cluster-detect.service) and `render` (each daemon's
 * ExecStartPre). Their modules are static imports, so the runtime loads their code with the command table's rather
 * than in a second round; the table of every command (main.ts) and the boot-time entry (boot_main.ts) share them.
 *
 * @module
 */
import * as bootCommand from "./boot.ts";
import * as renderCommand from "./render.ts";
import type { Command } from "./dispatch.ts";
import { OPTIONS } from "./options.ts";

export const BOOT: Command = {
  name: "boot",
  summary: "detect, generate, render, activate: what cluster-detect.service runs",
  options: OPTIONS.boot,
  load: () => Promise.resolve(bootCommand),
};

export const RENDER: Command = {
  name: "render",
  summary: "one daemon's config files, for its unit's ExecStartPre",
  options: OPTIONS.render,
  load: () => Promise.resolve(renderCommand),
};

/** The commands the launcher hands to the boot-time entry; every other one runs from main.ts. */
export const EVERY_BOOT: readonly Command[] = [BOOT, RENDER];
