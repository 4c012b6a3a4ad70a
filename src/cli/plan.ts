/**
 * `clusterboot plan`: what boot would write and start on this node (or `--node`), compared with the root.
 *
 * @module
 */
import { computeChanges } from "../apply/changes.ts";
import { requireNode } from "../plan/plan.ts";
import { planOnRoot } from "./node_plan.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { describePlan, planJson, unifiedDiffs } from "./changes_view.ts";
import { decideNode, IDENTITY_HELP, loadStep, LOCATION_HELP, rootOf, SECRETS_HELP } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot plan [--node NAME] [--root DIR] [--config DIR] [--diff] [--json] [--all]

Shows what "clusterboot boot" would write, remove, restart and start, without doing any of it.

options:
${LOCATION_HELP}
${IDENTITY_HELP}
${SECRETS_HELP}
  --diff         show unified diffs of every file that would change (secrets are never shown)
  --all          list unchanged files too
  --json         print the plan as JSON

examples:
  clusterboot plan --node worker-02 --config configs --root /tmp/root
  clusterboot plan --diff`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.plan);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const loaded = await loadStep(parsed, out);
  const node = stringFlag(parsed, "node") ?? (await decideNode(loaded, parsed)).node!;
  const plan = planOnRoot(parsed, loaded, requireNode(loaded, node), root, out);
  const changes = computeChanges(plan.entries, { root, prune: true, seen: loaded.seen });
  if (parsed.json) out.result(JSON.stringify(planJson(plan, changes, root), null, 2));
  else {
    out.result(describePlan(plan, changes, root, Boolean(parsed.all)));
    if (parsed.diff) out.result(await unifiedDiffs(changes));
  }
  return 0;
}
