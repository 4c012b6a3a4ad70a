/**
 * How every benchmark row is measured: a command and its baseline run in turn (A B A B ...), so that drift in the
 * machine's speed hits both; medians, and the min–max of the pair-by-pair ratio. Peak memory comes from
 * /usr/bin/time in runs of their own.
 *
 * @example
 * ```ts
 * const r = await paired({ a: { cmd: ["clusterboot", "validate"] }, b: { cmd: ["deno", "run", "empty.js"] } }, 21);
 * console.log(r.ratio, r.min, r.max);
 * ```
 * @module
 */
import { RUNTIME_FLAGS } from "../scripts/runtime_flags.ts";

export interface Run {
  cmd: string[];
  env?: Record<string, string>;
  /** Work done before each run and not timed (a scratch root emptied, say). */
  before?: () => Promise<void>;
}

export interface Paired {
  /** Medians, in milliseconds. */
  a: number;
  b: number;
  /** The median of the pair-by-pair ratios a/b, and their range. */
  ratio: number;
  min: number;
  max: number;
}

export async function timeOnce(run: Run): Promise<number> {
  await run.before?.();
  const [command, ...args] = run.cmd;
  const start = performance.now();
  const out = await new Deno.Command(command, { args, env: run.env, stdout: "null", stderr: "piped" }).output();
  const ms = performance.now() - start;
  if (!out.success) {
    throw new Error(`${run.cmd.join(" ")} failed with exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

/** The peak resident memory of one run, in KiB; undefined without /usr/bin/time. */
export async function peakKiB(run: Run): Promise<number | undefined> {
  await run.before?.();
  try {
    const out = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", ...run.cmd],
      env: run.env,
      stdout: "null",
      stderr: "piped",
    }).output();
    return Number(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
  } catch {
    return undefined;
  }
}

export const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** `runs` pairs after `warmup` unmeasured ones (caches, page cache, the runtime's code cache). */
export async function paired(rows: { a: Run; b: Run }, runs: number, warmup = 2): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await timeOnce(rows.a);
    await timeOnce(rows.b);
  }
  const a: number[] = [], b: number[] = [], ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ta = await timeOnce(rows.a);
    const tb = await timeOnce(rows.b);
    a.push(ta);
    b.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(a), b: median(b), ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export const mib = (kib?: number) => kib === undefined ? "?" : (kib / 1024).toFixed(1);
export const range = (r: Paired) => `${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;

/** A Markdown table's header lines; the `text` columns align left, the numbers right. */
export function tableHead(columns: string[], text: string[]): string {
  return `| ${columns.join(" | ")} |\n| ${columns.map((c) => text.includes(c) ? "---" : "---:").join(" | ")} |`;
}

/** A `before` that removes `dir`, so that each run starts without it. */
export const emptied = (dir: string) => () => Deno.remove(dir, { recursive: true }).catch(() => {});

export function machineLine(): string {
  return `machine: ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ${
    new Date().toISOString().slice(0, 10)
  }`;
}

/**
 * The runtime running an empty script as the launcher runs the bundle, with `flags` (those of the command's entry):
 * what any command of clusterboot costs at least.
 */
export async function floor(dir: string, root: string, flags: readonly string[] = RUNTIME_FLAGS): Promise<Run> {
  const empty = `${dir}/empty.js`;
  await Deno.writeTextFile(empty, "");
  let deno = `${root}dist/lib/deno`;
  try {
    await Deno.stat(deno);
  } catch {
    deno = Deno.execPath();
  }
  return {
    cmd: [deno, "run", "--quiet", "--no-config", "--no-lock", "--no-prompt", ...flags, empty],
    env: { DENO_NO_UPDATE_CHECK: "1" },
  };
}
