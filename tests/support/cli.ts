/**
 * Running the built executable in tests, as an operator or systemd would: a child process with its own
 * environment, output captured.
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** The built executable (`deno task build`); CLUSTERBOOT_BIN overrides it. */
export const CLUSTERBOOT = Deno.env.get("CLUSTERBOOT_BIN") ?? `${ROOT}dist/clusterboot`;

/** The example cluster's configuration directory. */
export const EXAMPLE_CONFIG = `${ROOT}configs`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment variables; PATH may be replaced to put stand-ins first. */
  env?: Record<string, string>;
  cwd?: string;
}

/** Runs `clusterboot ARGS...` and returns its exit code and output. */
export async function clusterboot(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const output = await new Deno.Command(CLUSTERBOOT, {
    args,
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** A temporary directory removed when the test is done, even when it fails (`await using dir = await tempDir()`). */
export async function tempDir(prefix = "clusterboot-test-"): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

/** Copies a directory tree (files and sub-directories). */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}

/** Every file and link under `dir`, as sorted paths relative to it. */
export async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}${prefix}`)) {
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory) out.push(...await listTree(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Where each boot records its timeline: a log, not a managed file, so trees compare without it. */
export const BOOT_RECORD = "/var/lib/clusterboot/boot-timings.json";

/** Where boot keeps its undo records (generations), one directory each. */
export const GENERATIONS = "/var/lib/clusterboot/generations";

/**
 * The boot record and the generations: logs of what boots did, which each boot that changes something adds to.
 * Trees of a node's files are compared without them.
 */
export function isBootLog(path: string): boolean {
  return path === BOOT_RECORD || path.startsWith(`${GENERATIONS}/`);
}

/** The boots recorded under `root`, oldest first. */
export async function bootRecords(root: string): Promise<{ outcome: string; node?: string; steps: unknown[] }[]> {
  return JSON.parse(await Deno.readTextFile(`${root}${BOOT_RECORD}`)).boots;
}
