/**
 * The plan of one node on a root, as boot, plan and status make it: the secrets its roles need, the cluster ids a
 * root already has, and what the root's state says (an etcd member that exists keeps joining as "existing").
 *
 * @module
 */
import type { Loaded } from "../config/load.ts";
import type { Node } from "../config/model.ts";
import { planNode } from "../plan/plan.ts";
import type { Plan } from "../plan/types.ts";
import { shareRefs } from "../pki/share.ts";
import { observeNode } from "../services/prestart.ts";
import type { Parsed } from "./args.ts";
import { readSecrets, recordedIds } from "./common.ts";
import type { Output } from "./output.ts";

export function planOnRoot(parsed: Parsed, loaded: Loaded, node: Node, root: string, out: Output): Plan {
  const secrets = readSecrets(parsed, loaded, shareRefs(loaded.config, node), out);
  // The ids a root recorded stand in only for secrets it lacks (planNode takes them from the secrets when it has them).
  const recorded = secrets ? undefined : recordedIds(root);
  return planNode(loaded, node.name, { secrets, recordedIds: recorded, observed: observeNode(node, root) });
}
