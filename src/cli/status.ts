/**
 * `clusterboot status`: this node at a glance — identity and how it was decided, roles, units and their state,
 * files that drifted from what boot would write, certificate expiry, the last boot's timings. Made for a broken
 * node: every section is gathered on its own and a failure becomes that section's error, never the command's.
 *
 * @module
 */
import { loadConfig, type Loaded } from "../config/load.ts";
import { type Node, nodeByName } from "../config/model.ts";
import { under } from "../apply/root.ts";
import { computeChanges } from "../apply/changes.ts";
import { CommandSystemctl } from "../apply/systemctl.ts";
import { summary } from "../identity/explain.ts";
import { planOnRoot } from "./node_plan.ts";
import type { Plan } from "../plan/types.ts";
import { NODE_IDENTITY } from "../plan/cluster_config.ts";
import { DAEMONS } from "../services/registry.ts";
import { daemonsOf, targetsOf } from "../services/roles.ts";
import { readBootRecords } from "../report/boot_record.ts";
import {
  type CertificatesSection,
  type CertificateState,
  type FilesSection,
  formatStatus,
  type IdentitySection,
  statusReport,
  type UnitsSection,
  type UnitState,
} from "../report/status.ts";
import { type Parsed, parseFlags } from "./args.ts";
import { configDirOf, decide, gatherFacts, IDENTITY_HELP, LOCATION_HELP, rootOf, SECRETS_HELP } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot status [--root DIR] [--config DIR] [--node NAME] [--facts FILE] [--json] [--units]

Shows which node this machine is and how that was decided, its roles and targets, the state of every unit of its
roles, the files that differ from what boot would write (drift), its certificates' expiry and the last boot's
timings. It reports what it cannot check instead of failing. Exit 0 when nothing needs attention, 1 when the
"problems" list is not empty.

options:
${LOCATION_HELP}
${IDENTITY_HELP}
${SECRETS_HELP}
  --json         print the report as JSON (schema: schemas/status.schema.json)
  --units        ask systemctl for unit states even though --root is not /

examples:
  clusterboot status
  clusterboot status --json | jq '.files.drift'
  clusterboot status --root /tmp/root --node master-01`;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.status);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const live = root === "/" || root.replace(/\/+$/, "") === "";

  const recorded = readRecordedIdentity(root);
  let loaded: Loaded | undefined;
  let loadError: string | undefined;
  try {
    loaded = await loadConfig(configDirOf(parsed));
  } catch (error) {
    loadError = `configuration ${configDirOf(parsed)} not loaded: ${message(error)}`;
  }
  const identity: IdentitySection = loaded ? await identify(loaded, parsed, recorded) : { recorded, error: loadError };
  // When the facts decide nothing, the node the last boot chose is still the best guess for the other sections.
  const nodeName = identity.node ?? recorded;
  const node = loaded && nodeName ? nodeByName(loaded.config, nodeName) : undefined;
  const notKnown = loadError ?? `node ${nodeName ?? "(not determined)"} is not in the configuration`;

  const units = node
    ? await unitStates(node, live || parsed.units === true)
    : { targets: [], units: [], error: notKnown };
  let plan: Plan | undefined;
  let planError: string | undefined;
  if (loaded && node) {
    try {
      plan = planOnRoot(parsed, loaded, node, root, out);
    } catch (error) {
      planError = message(error);
    }
  }
  const files = plan ? drift(plan, root) : { checked: 0, drift: [], error: planError ?? notKnown };
  const certificates = plan ? await certificateStates(plan, root) : { certificates: [], error: planError ?? notKnown };
  const boots = readBootRecords(root);

  const report = statusReport({
    identity,
    roles: node?.roles ?? [],
    units,
    files,
    certificates,
    ...(boots.length ? { lastBoot: boots[boots.length - 1] } : {}),
  });
  out.result(parsed.json ? JSON.stringify(report, null, 2) : formatStatus(report));
  return report.problems.length ? 1 : 0;
}

function readRecordedIdentity(root: string): string | undefined {
  try {
    return Deno.readTextFileSync(under(root, NODE_IDENTITY)).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function identify(loaded: Loaded, parsed: Parsed, recorded: string | undefined): Promise<IdentitySection> {
  try {
    const decision = decide(loaded, await gatherFacts(parsed), parsed);
    return { ...(decision.node ? { node: decision.node } : {}), decidedBy: summary(decision), recorded };
  } catch (error) {
    return { recorded, error: message(error) };
  }
}

/** The node's targets and daemon units, with systemd's view of each (one `systemctl show` for all). */
async function unitStates(node: Node, ask: boolean): Promise<UnitsSection> {
  const targets = targetsOf(node.roles);
  const names = [...targets, ...daemonsOf(node.roles).flatMap((name) => DAEMONS[name].units(node))];
  const unknown = (why: string, key: "error" | "skipped" = "error"): UnitsSection => ({
    targets,
    units: names.map((unit) => ({ unit, active: "unknown" })),
    [key]: why,
  });
  if (!ask) return unknown("--root is not /, so these are not this machine's units (--units asks anyway)", "skipped");
  try {
    const result = await new CommandSystemctl().run(["show", "--property=Id,ActiveState,SubState", "--", ...names]);
    if (result.code !== 0) return unknown(`systemctl show failed: ${result.stderr.trim()}`);
    const states = parseShow(result.stdout);
    return { targets, units: names.map((unit) => states.get(unit) ?? { unit, active: "unknown" }) };
  } catch (error) {
    return unknown(message(error));
  }
}

/** `systemctl show` output: one block of KEY=value lines per unit, blocks separated by a blank line. */
export function parseShow(text: string): Map<string, UnitState> {
  const states = new Map<string, UnitState>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map(
      block.split("\n").filter((l) => l.includes("=")).map((
        l,
      ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const unit = fields.get("Id");
    if (unit) states.set(unit, { unit, active: fields.get("ActiveState") ?? "unknown", sub: fields.get("SubState") });
  }
  return states;
}

function drift(plan: Plan, root: string): FilesSection {
  try {
    const changes = computeChanges(plan.entries, { root, prune: true });
    return {
      checked: plan.entries.length,
      drift: changes.flatMap((change) =>
        change.action === "remove"
          ? [{ path: change.path, differences: ["extra"] }]
          : change.action === "unchanged"
          ? []
          : [{ path: change.entry.path, differences: [...change.differences] }]
      ),
    };
  } catch (error) {
    return { checked: 0, drift: [], error: message(error) };
  }
}

const PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

/** Expiry of each certificate on disk among the planned files, and of the client certificate in each kubeconfig. */
async function certificateStates(plan: Plan, root: string): Promise<CertificatesSection> {
  const found: { path: string; pem: string }[] = [];
  for (const entry of plan.entries) {
    if (entry.kind !== "file") continue;
    let text: string;
    try {
      text = Deno.readTextFileSync(under(root, entry.path));
    } catch {
      continue; // a missing file is drift, reported there
    }
    if (text.startsWith(PEM_CERTIFICATE)) found.push({ path: entry.path, pem: text });
    const embedded = text.match(/client-certificate-data:\s*"?([A-Za-z0-9+/=]+)/);
    if (embedded) found.push({ path: `${entry.path} (client certificate)`, pem: embedded[1] });
  }
  if (found.length === 0) return { certificates: [] };
  let inspect: typeof import("../pki/certificates.ts").inspect;
  try {
    // Loaded only here: parsing X.509 needs the heavy certificate library.
    ({ inspect } = await import("../pki/certificates.ts"));
  } catch (error) {
    return { certificates: [], error: message(error) };
  }
  const now = Date.now();
  const certificates: CertificateState[] = [];
  const unreadable: string[] = [];
  for (const { path, pem } of found) {
    try {
      const facts = inspect(pem.startsWith(PEM_CERTIFICATE) ? pem : atob(pem));
      certificates.push({
        path,
        subject: facts.subject,
        notAfter: facts.notAfter.toISOString(),
        daysLeft: Math.floor((facts.notAfter.getTime() - now) / 86_400_000),
      });
    } catch (error) {
      unreadable.push(`${path}: ${message(error)}`);
    }
  }
  return { certificates, ...(unreadable.length ? { error: `unreadable: ${unreadable.join("; ")}` } : {}) };
}
