/**
 * `clusterboot boot`: validate → detect → plan → apply → activate, what cluster-detect.service runs at every boot
 * and what an operator reruns to repair a node. A rerun with the same inputs writes nothing and starts nothing.
 *
 * @module
 */
import { activate } from "../apply/activate.ts";
import { applyChanges, summarize } from "../apply/apply.ts";
import { computeChanges } from "../apply/changes.ts";
import { setLiveHostname } from "../apply/hostname.ts";
import { CommandSystemctl } from "../apply/systemctl.ts";
import { planNode, requireNode } from "../plan/plan.ts";
import { summary } from "../identity/explain.ts";
import { parseFlags } from "./args.ts";
import { changeCounts, changeLine, dataDiskLine, describePlan } from "./changes_view.ts";
import { describeDataDisk, prepareDataDisk } from "../apply/data_disk.ts";
import {
  decideNode,
  IDENTITY_HELP,
  loadStep,
  LOCATION_HELP,
  readSecrets,
  recordedIds,
  rootOf,
  SECRETS_HELP,
} from "./common.ts";
import { shareRefs } from "../pki/share.ts";
import { observeNode } from "../services/prestart.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot boot [--root DIR] [--config DIR] [--dry-run] [--node NAME] [--facts FILE]
                        [--activate | --no-activate]

Validates the configuration, decides which node this machine is, mounts its data disk when the node file names one
(formatting it only when blank), writes its files under the root (atomically, only what differs, removing what a
previous boot wrote and no longer belongs), then starts its role targets with systemctl. Each step logs [started]
and [finished] lines on stderr.

options:
${LOCATION_HELP}
${IDENTITY_HELP}
${SECRETS_HELP}
  --dry-run      print the plan and change nothing
  --activate     call systemctl even though --root is not / (for tests with a stand-in systemctl)
  --no-activate  write files but call no systemctl

With --root other than /, no disk is mounted and systemctl is not called unless --activate is given: the disks and
units of a scratch root are not this machine's.

examples:
  clusterboot boot
  clusterboot boot --config configs --root /tmp/root --node master-01 --dry-run`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.boot);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const live = root === "/" || root.replace(/\/+$/, "") === "";
  // --activate / --no-activate override; by default only a live root is activated.
  const activating = parsed.activate === undefined ? live : parsed.activate === true;

  const loaded = await loadStep(parsed, out);
  const decision = await out.step("detect", () => decideNode(loaded, parsed), (d) => summary(d));
  const node = requireNode(loaded, decision.node!);
  const secrets = readSecrets(parsed, loaded, shareRefs(loaded.config, node), out);
  const plan = await out.step(
    "plan",
    () => planNode(loaded, node.name, { secrets, recordedIds: recordedIds(root), observed: observeNode(node, root) }),
    (p) => `${p.entries.length} files, start ${p.start.join(" ") || "nothing"}`,
  );
  const changes = computeChanges(plan.entries, { root, prune: true });

  if (parsed["dry-run"]) {
    out.result(describePlan(plan, changes, root));
    return 0;
  }
  if (plan.dataDisk && live) {
    const disk = plan.dataDisk;
    await out.step(`data disk ${disk.device}`, () => prepareDataDisk(disk, { root }), describeDataDisk);
  } else if (plan.dataDisk) {
    out.info(`data disk skipped (root ${root} is not /): ${dataDiskLine(plan.dataDisk)}`);
  }
  const applied = await out.step(
    `apply ${root}`,
    () => applyChanges(changes, { root, onChange: (change) => out.info(changeLine(change)) }),
    () => changeCounts(changes, "past"),
  );
  if (live) setLiveHostname(node.hostname);
  if (!activating) {
    const { restarts } = summarize(changes);
    out.info(
      `activation skipped (${parsed.activate === false ? "--no-activate" : `root ${root} is not /`}): would start ${
        plan.start.join(" ")
      }${restarts.length ? `, restart ${restarts.join(" ")} if running` : ""}`,
    );
    return 0;
  }
  await out.step(
    "activate",
    () =>
      activate(
        { start: plan.start, restarts: applied.restarts, unitFilesChanged: applied.unitFilesChanged },
        new CommandSystemctl(),
      ),
    (r) =>
      [
        r.daemonReload ? "daemon-reload" : "",
        r.restarted.length ? `restarted ${r.restarted.join(" ")}` : "",
        r.started.length ? `started ${r.started.join(" ")}` : "all running already",
      ].filter(Boolean).join("; "),
  );
  return 0;
}
