/**
 * `clusterboot validate`: every problem of the configuration at once, each at file:line:col with a hint.
 *
 * @module
 */
import { loadConfig } from "../config/load.ts";
import { ConfigError } from "../errors.ts";
import { parseFlags } from "./args.ts";
import { configDirOf, LOCATION_HELP } from "./common.ts";
import { diagnosticsJson, printDiagnostics } from "./diagnostics.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot validate [--config DIR] [--json]

Checks the YAML syntax, the schema of each file (unknown keys are errors) and the rules across files (unique
names, MACs and addresses; addresses inside the node network; node files matching cluster.yaml; services enabled
for the roles that need them; etcd, Ceph and Kafka quorums). Exit 2 when there is any error.

options:
${LOCATION_HELP}
  --json         print the result as JSON

examples:
  clusterboot validate --config configs
  clusterboot validate --config configs --json | jq '.diagnostics[].message'`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.validate);
  if (parsed.help) return (out.result(HELP), 0);
  const dir = configDirOf(parsed);
  try {
    const loaded = await loadConfig(dir, { full: true });
    if (parsed.json) out.result(diagnosticsJson(loaded.warnings));
    else {
      printDiagnostics(loaded.warnings, new Map(), out, out.result);
      out.result(`${dir}: valid (${loaded.sources.size} files, ${loaded.config.cluster.nodes.length} nodes)`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (parsed.json) out.result(diagnosticsJson(error.diagnostics, error.note));
    else printDiagnostics(error.diagnostics, error.texts, out, out.result, error.note);
    return error.exitCode;
  }
}
