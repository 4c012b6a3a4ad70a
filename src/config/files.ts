/**
 * Reading a config directory: cluster.yaml, services/*.yaml and nodes/*.yaml, as bytes. Nothing is parsed here.
 * Synchronous on purpose: on the boot path a few small reads are cheaper without the async machinery.
 *
 * @example
 * ```ts
 * const sources = readConfigDir("configs");
 * sources.get("nodes/master-01.yaml");
 * ```
 * @module
 */
import type { SourceFiles } from "./model.ts";

/** A config file larger than this is refused: no honest cluster description comes near it. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The sub-directories whose `*.yaml` files belong to the configuration. */
export const CONFIG_SUBDIRS = ["services", "nodes"] as const;

/** A file of the config directory that cannot be read at all (missing, a directory, unreadable). */
export class ConfigReadError extends Error {
  override name = "ConfigReadError";
  constructor(readonly file: string, message: string, readonly hint?: string) {
    super(message);
  }
}

/**
 * Reads every config file of `dir`. A missing `services/` or `nodes/` directory reads as empty (validation then says
 * what is missing); a missing directory or cluster.yaml is a {@link ConfigReadError}.
 */
export function readConfigDir(dir: string): SourceFiles {
  const sources: SourceFiles = new Map();
  const names = ["cluster.yaml"];
  for (const sub of CONFIG_SUBDIRS) {
    for (const name of listYaml(`${dir}/${sub}`)) names.push(`${sub}/${name}`);
  }
  for (const name of names) sources.set(name, readSource(dir, name));
  return sources;
}

function listYaml(path: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(path)) {
      if (entry.name.endsWith(".yaml") && !entry.name.startsWith(".")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

function readSource(dir: string, name: string): Uint8Array {
  const path = `${dir}/${name}`;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigReadError(
        path,
        name === "cluster.yaml" ? `no cluster.yaml in ${dir}` : `cannot read ${name}: not found`,
        "point --config at a directory holding cluster.yaml, services/ and nodes/",
      );
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new ConfigReadError(path, `cannot read ${name}: permission denied`);
    }
    throw error;
  }
  using _ = file;
  const info = file.statSync();
  if (!info.isFile) throw new ConfigReadError(path, `${name} is not a regular file`);
  if (info.size > MAX_FILE_BYTES) {
    throw new ConfigReadError(
      path,
      `${name} is ${info.size} bytes, more than the ${MAX_FILE_BYTES} a config file may have`,
    );
  }
  const bytes = new Uint8Array(info.size);
  let read = 0;
  while (read < bytes.length) {
    const n = file.readSync(bytes.subarray(read));
    if (n === null) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

/** One digest over every file's name and bytes: equal digests mean an unchanged configuration. */
export async function digestSources(sources: SourceFiles): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of [...sources.keys()].sort()) {
    const bytes = sources.get(name)!;
    parts.push(encoder.encode(`${name}\0${bytes.length}\0`), bytes);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}
