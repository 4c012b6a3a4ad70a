/**
 * `clusterboot detect`: which node this machine is, and the evidence.
 *
 * @module
 */
import { explain, summary } from "../identity/explain.ts";
import { parseFlags } from "./args.ts";
import { decide, gatherFacts, IDENTITY_HELP, loadStep, LOCATION_HELP } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot detect [--explain] [--json] [--config DIR] [--node NAME] [--facts FILE]

Prints the name of the node this machine is. Evidence is weighed strongest first: --node, clusterboot.node= on the
kernel command line, DMI product UUID or serial, MAC address, IP address, hostname. The first kind of evidence
that matches decides, and it must match exactly one node; otherwise exit 3 with the evidence.

options:
${LOCATION_HELP}
${IDENTITY_HELP}
  --explain      show every piece of evidence and which one decided
  --json         print the decision and the evidence as JSON

examples:
  clusterboot detect --explain
  clusterboot detect --config configs --facts facts.json`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.detect);
  if (parsed.help) return (out.result(HELP), 0);
  const loaded = await loadStep(parsed, out);
  const facts = await gatherFacts(parsed);
  const decision = decide(loaded, facts, parsed);
  if (parsed.json) out.result(JSON.stringify({ ...decision, facts }, null, 2));
  else if (parsed.explain) out.result(explain(decision));
  else if (decision.node) out.result(decision.node);
  if (!decision.node) {
    if (!parsed.json && !parsed.explain) {
      out.error(`identity not determined: ${summary(decision)}`);
      out.info(explain(decision));
    }
    return 3;
  }
  return 0;
}
