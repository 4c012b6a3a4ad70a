/**
 * `clusterboot render --service NAME`: one daemon's files for this node, written before its unit starts
 * (ExecStartPre), so a daemon always starts from the configuration as it is now.
 *
 * @module
 */
import { applyChanges } from "../apply/apply.ts";
import { computeChanges } from "../apply/changes.ts";
import { under } from "../apply/root.ts";
import { IdentityError, UsageError } from "../errors.ts";
import { NODE_IDENTITY } from "../plan/cluster_config.ts";
import { planDaemon, requireNode } from "../plan/plan.ts";
import { DAEMONS } from "../services/registry.ts";
import { DAEMON_NAMES, type DaemonName, daemonsOf } from "../services/roles.ts";
import { suggestWord } from "../text/suggest.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { changeCounts, changeLine } from "./changes_view.ts";
import { loadStep, LOCATION_HELP, recordedIds, rootOf } from "./common.ts";
import { checkBeforeStart, observeForDaemon, prepareDaemon } from "../services/prestart.ts";
import type { Output } from "./output.ts";
import { RENDER_OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot render --service NAME[@INSTANCE] [--root DIR] [--config DIR] [--node NAME]

Writes one daemon's env file and config files for this node (the node in <root>/etc/cluster-config/node-identity,
or --node). Each unit runs it as ExecStartPre. Daemons: ${DAEMON_NAMES.join(", ")}.

options:
  --service NAME the daemon, with the instance for template units (ceph-osd@0, ceph-mon@storage-01)
${LOCATION_HELP}
  --node NAME    render for this node instead of the one boot recorded

examples:
  clusterboot render --service etcd
  clusterboot render --service ceph-osd@1 --root /tmp/root`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, RENDER_OPTIONS);
  if (parsed.help) return (out.result(HELP), 0);
  const service = stringFlag(parsed, "service");
  if (!service) throw new UsageError("--service is required", `one of: ${DAEMON_NAMES.join(", ")}`);
  const [name, instance] = service.split("@", 2) as [string, string | undefined];
  if (!(DAEMON_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(
      `unknown service "${name}"`,
      suggestWord(name, DAEMON_NAMES) ?? `one of: ${DAEMON_NAMES.join(", ")}`,
    );
  }
  const daemon = DAEMONS[name as DaemonName];
  const root = rootOf(parsed);
  const nodeName = stringFlag(parsed, "node") ?? recordedIdentity(root);
  const loaded = await loadStep(parsed, out);
  const node = requireNode(loaded, nodeName);
  if (!daemonsOf(node.roles).includes(daemon.name)) {
    throw new UsageError(`service ${name} does not run on node ${node.name} (roles: ${node.roles.join(", ")})`);
  }
  const templated = daemon.unit.includes("@");
  if (templated !== (instance !== undefined)) {
    throw new UsageError(
      templated
        ? `${name} is a template unit: name the instance, e.g. ${daemon.units(node)[0]?.replace(".service", "")}`
        : `${name} has no instances`,
    );
  }
  if (instance !== undefined && !daemon.units(node).includes(`${name}@${instance}.service`)) {
    throw new UsageError(
      `node ${node.name} has no ${name}@${instance}`,
      `its instances: ${daemon.units(node).join(", ")}`,
    );
  }
  const live = root === "/" || root.replace(/\/+$/, "") === "";
  const options = { root, live, log: (line: string) => out.info(line) };
  const { observed } = await observeForDaemon(daemon, loaded.config, node, options);
  // The cluster ids as boot recorded them: render writes exactly what boot would, without the secrets directory.
  const ids = recordedIds(root);
  const files = planDaemon(loaded, node, daemon.name, ids, observed);
  const changes = computeChanges(files, { root });
  await out.step(
    `render ${service}`,
    () => applyChanges(changes, { root, onChange: (c) => out.info(changeLine(c)) }),
    () => changeCounts(changes, "past"),
  );
  const ctx = { config: loaded.config, node, ids, observed };
  await out.step(`check ${service}`, () => checkBeforeStart(daemon, ctx, options), () => "ready to start");
  await out.step(
    `prepare ${service}`,
    () => prepareDaemon(daemon, ctx, options, instance),
    (lines) => lines.join("; ") || "nothing to do",
  );
  return 0;
}

/** The node boot recorded; without it, this machine has no identity yet. */
function recordedIdentity(root: string): string {
  const path = under(root, NODE_IDENTITY);
  try {
    const name = Deno.readTextFileSync(path).trim();
    if (name) return name;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new IdentityError(
    `${path} is missing or empty`,
    "run clusterboot boot first (cluster-detect.service does), or pass --node",
  );
}
