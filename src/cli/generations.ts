/**
 * `clusterboot generations`: the undo records boot and rollback kept under the root, oldest first, each with what
 * its change did and the units it touched.
 *
 * @module
 */
import { countActions, type Generation, generationUnits, KEEP_GENERATIONS } from "../apply/generation.ts";
import { generationsDir, listGenerations } from "../apply/generation_store.ts";
import { GENERATIONS_DIR } from "../plan/paths.ts";
import { parseFlags } from "./args.ts";
import { rootOf } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot generations [--root DIR] [--json]

Lists the generations kept under <root>${GENERATIONS_DIR}, oldest first. Generation N holds the
files as they were just before change N (a boot that changed files, or a rollback): its number, when, what made it,
the paths it created, updated and removed, and the units whose files changed. "clusterboot rollback --to N" brings
that state back. The newest ${KEEP_GENERATIONS} are kept.

options:
  --root DIR     the root to look under (default: /)
  --json         print the generations as JSON, every path listed

examples:
  clusterboot generations
  clusterboot generations --root /tmp/root --json`;

/** Paths shown per generation before the rest are summed up; --json lists them all. */
const PATHS_SHOWN = 8;

export function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.generations);
  if (parsed.help) return Promise.resolve((out.result(HELP), 0));
  const root = rootOf(parsed);
  const history = listGenerations(root);
  if (parsed.json) {
    out.result(JSON.stringify({ root, keep: KEEP_GENERATIONS, generations: history.map(generationJson) }, null, 2));
  } else if (history.length === 0) {
    out.result(`no generations under ${generationsDir(root)}: boot records one each time it changes files`);
  } else {
    out.result(history.map(describeGeneration).join("\n\n"));
  }
  return Promise.resolve(0);
}

function generationJson(generation: Generation): unknown {
  return {
    ...generation,
    entries: generation.entries.map((e) => ({
      ...e,
      before: e.before.kind === "file" ? { ...e.before, mode: e.before.mode.toString(8).padStart(4, "0") } : e.before,
    })),
    counts: countActions(generation),
    units: generationUnits(generation),
  };
}

function describeGeneration(generation: Generation): string {
  const n = countActions(generation);
  const made = generation.cause === "rollback"
    ? `rollback to generation ${generation.restored}`
    : `boot${generation.config ? `, config ${generation.config.slice(0, 12)}` : ""}`;
  const units = generationUnits(generation);
  const lines = [
    `generation ${generation.number}  ${generation.time}  ${made}${generation.node ? `, node ${generation.node}` : ""}`,
    `  ${n.created} created, ${n.updated} updated, ${n.removed} removed; units: ${units.join(" ") || "(none)"}`,
    ...generation.entries.slice(0, PATHS_SHOWN).map((e) => `  ${e.action.padEnd(8)} ${e.path}`),
  ];
  const rest = generation.entries.length - PATHS_SHOWN;
  if (rest > 0) lines.push(`  ... and ${rest} more (--json lists every path)`);
  return lines.join("\n");
}
