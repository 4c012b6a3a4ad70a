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
import { asBytes, readContent, type SeenFile } from "../text/bytes.ts";
import type { SourceFiles } from "./model.ts";

/**
 * A config file larger than this is refused: no honest cluster description comes near it (4 MiB of cluster.yaml
 * lists some 35,000 nodes), and parsing YAML takes many times its size in memory.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The configuration's files together may not exceed this, for the same reason. */
export const MAX_TOTAL_BYTES = 16 * 1024 * 1024;

/** The sub-directories whose `*.yaml` files belong to the configuration. */
export const CONFIG_SUBDIRS = ["services", "nodes"] as const;

/** A file of the config directory that cannot be read at all (missing, a directory, unreadable). */
export class ConfigReadError extends Error {
  override name = "ConfigReadError";
  constructor(readonly file: string, message: string, readonly hint?: string) {
    super(message);
  }
}

const OUTSIDE_HINT =
  "copy the file into the configuration directory: only its own files are read, and baked into the " +
  "image";

/**
 * Reads every config file of `dir`. A missing `services/` or `nodes/` directory reads as empty (validation then says
 * what is missing); a missing directory or cluster.yaml is a {@link ConfigReadError}, and so is a file that is not a
 * regular file (a FIFO would block the read for ever), too large, or a symbolic link that leads out of `dir`.
 * Each file that is not a link is added to `seen`, by the path it was read at (`dir/name`).
 */
export function readConfigDir(dir: string, seen?: Map<string, SeenFile>): SourceFiles {
  const real = realPath(dir, dir, "the configuration directory");
  if (real !== undefined && !Deno.statSync(real).isDirectory) {
    throw new ConfigReadError(dir, `${dir} is not a directory`, "point --config at a directory holding cluster.yaml");
  }
  // A directory that does not exist reads as one without cluster.yaml, which says what is missing.
  const base = real ?? dir;
  const sources: SourceFiles = new Map();
  const names = ["cluster.yaml"];
  for (const sub of CONFIG_SUBDIRS) {
    for (const name of listYaml(dir, base, sub)) names.push(`${sub}/${name}`);
  }
  let total = 0;
  for (const name of names) {
    const { bytes, seen: file } = readSource(dir, base, name);
    if (file) seen?.set(`${dir}/${name}`, file);
    total += bytes.length;
    if (total > MAX_TOTAL_BYTES) {
      throw new ConfigReadError(
        `${dir}/${name}`,
        `the configuration's files add up to more than ${MAX_TOTAL_BYTES} bytes at ${name}`,
        "a configuration describes a cluster; keep data and other files out of its directory",
      );
    }
    sources.set(name, bytes);
  }
  return sources;
}

/**
 * The real path of `path`, or undefined when it does not exist; a loop of symbolic links or a permission problem
 * is a {@link ConfigReadError} reported against `shown`.
 */
function realPath(path: string, shown: string, what: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw readError(error, shown, what);
  }
}

/** The error for a failed read of `what`, for the errors the file system gives for bad paths and links. */
function readError(error: unknown, shown: string, what: string): ConfigReadError {
  if (error instanceof Deno.errors.FilesystemLoop) {
    return new ConfigReadError(shown, `cannot read ${what}: its symbolic links go round in a loop`, OUTSIDE_HINT);
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new ConfigReadError(shown, `cannot read ${what}: permission denied`);
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return new ConfigReadError(shown, `cannot read ${what}: a part of its path is not a directory`);
  }
  if (error instanceof Deno.errors.NotFound) {
    return new ConfigReadError(shown, `cannot read ${what}: not found`);
  }
  throw error;
}

/** Whether `real` is `base` or lies below it. */
function inside(base: string, real: string): boolean {
  return real === base || real.startsWith(base.endsWith("/") ? base : `${base}/`);
}

/**
 * Where the entry `name` of `dir` is, with what it is: the entry itself, or for a symbolic link its target, which
 * must lie inside `base`; undefined when there is nothing (or a dangling link). Only links cost a real-path lookup.
 */
function located(
  dir: string,
  base: string,
  name: string,
  what: string,
): { real: string; info: Deno.FileInfo } | undefined {
  const path = `${dir}/${name}`;
  try {
    const info = Deno.lstatSync(path);
    if (!info.isSymlink) return { real: path, info };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw readError(error, path, what);
  }
  const real = realPath(path, path, what);
  if (real === undefined) return undefined;
  if (!inside(base, real)) {
    throw new ConfigReadError(
      path,
      `${what} is a symbolic link to ${real}, outside the configuration directory`,
      OUTSIDE_HINT,
    );
  }
  try {
    return { real, info: Deno.statSync(real) };
  } catch (error) {
    throw readError(error, path, what);
  }
}

function listYaml(dir: string, base: string, sub: string): string[] {
  const found = located(dir, base, sub, `${sub}/`);
  if (found === undefined) return [];
  if (!found.info.isDirectory) {
    throw new ConfigReadError(
      `${dir}/${sub}`,
      `${sub} is not a directory`,
      `${sub}/ holds one *.yaml file per ${sub.slice(0, -1)}`,
    );
  }
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(found.real)) {
      if (entry.name.endsWith(".yaml") && !entry.name.startsWith(".")) names.push(entry.name);
    }
  } catch (error) {
    throw readError(error, `${dir}/${sub}`, `${sub}/`);
  }
  return names.sort();
}

/** A config file's bytes, and what was seen of it when it is no link. */
function readSource(dir: string, base: string, name: string): { bytes: Uint8Array; seen?: SeenFile } {
  const path = `${dir}/${name}`;
  const found = located(dir, base, name, name);
  if (found === undefined) {
    throw new ConfigReadError(
      path,
      name === "cluster.yaml" ? `no cluster.yaml in ${dir}` : `cannot read ${name}: not found`,
      "point --config at a directory holding cluster.yaml, services/ and nodes/",
    );
  }
  try {
    const read = readRegularFile(found.real, MAX_FILE_BYTES, found.info);
    if (read === "not a file") throw new ConfigReadError(path, `${name} is not a regular file`);
    if (read === "too large") {
      throw new ConfigReadError(
        path,
        `${name} is larger than the ${MAX_FILE_BYTES} bytes a config file may have`,
        "a config file describes a cluster in a few kilobytes: is this the right file?",
      );
    }
    return { bytes: read.bytes, seen: found.real === path ? { info: found.info, content: read.content } : undefined };
  } catch (error) {
    if (error instanceof ConfigReadError) throw error;
    throw readError(error, path, name);
  }
}

/**
 * The bytes of the regular file at `path`, and its content as {@link readContent} gives it (text where it reads back
 * exactly, which later comparisons make natively), or why not: `"not a file"` (a directory, a device, a FIFO: checked
 * before reading, since opening a FIFO blocks until someone writes to it) or `"too large"` (more than `limit`).
 * `info` is what a look at the path just found. A file swapped for a FIFO between that look and the read is not
 * guarded against: the configuration is root's, and one read per file keeps the boot cheap.
 * File system errors are thrown as they are.
 */
export function readRegularFile(
  path: string,
  limit: number,
  info: Deno.FileInfo,
): { bytes: Uint8Array; content: string | Uint8Array } | "not a file" | "too large" {
  if (!info.isFile) return "not a file";
  if (info.size > limit) return "too large";
  const content = readContent(path);
  const bytes = asBytes(content);
  // It may have grown since the look.
  return bytes.length > limit ? "too large" : { bytes, content };
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
