/**
 * A node's plan as reviewable text for the golden files: every file with its mode, owner and restarts, and its
 * content — except files copied verbatim from configs/ or units/, which are named instead of repeated.
 *
 * @module
 */
import { loadConfig } from "../../src/config/load.ts";
import { planNode } from "../../src/plan/plan.ts";
import { contentBytes } from "../../src/plan/types.ts";
import { equalBytes } from "../../src/text/bytes.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
export const GOLDEN_DIR = `${ROOT}tests/golden`;
export const EXAMPLE_NODES = ["master-01", "worker-01", "worker-02", "kafka-01", "storage-01"];

/** The topologies with golden plans: the example cluster, and the three-of-each cluster of tests/fixtures. */
export const GOLDEN_CLUSTERS = [
  { config: "configs", dir: GOLDEN_DIR, nodes: EXAMPLE_NODES },
  {
    config: "tests/fixtures/clusters/trio",
    dir: `${GOLDEN_DIR}/trio`,
    nodes: ["master-1", "master-2", "master-3", "node-1", "node-2", "node-3"],
  },
];

/** The verbatim origin of a planned file, when it is a copy of a file in the repository. */
async function verbatimOrigin(path: string, bytes: Uint8Array, configDir: string): Promise<string | undefined> {
  const candidates = [
    path.replace(/^\/etc\/cluster-config\//, `${configDir}/`),
    path.replace(/^\/etc\/systemd\/system\//, "units/"),
  ].filter((c) => c !== path);
  for (const candidate of candidates) {
    try {
      if (equalBytes(await Deno.readFile(`${ROOT}${candidate}`), bytes)) return candidate;
    } catch {
      // not a copy of that file
    }
  }
  return undefined;
}

export async function goldenText(node: string, configDir = "configs"): Promise<string> {
  const loaded = await loadConfig(`${ROOT}${configDir}`, { full: true });
  const plan = planNode(loaded, node);
  const out = [`# plan for ${node} from ${configDir}/ (regenerate with: deno task golden)`];
  for (const entry of plan.entries) {
    const restarts = entry.restarts?.length ? `; restarts ${entry.restarts.join(" ")}` : "";
    if (entry.kind === "symlink") {
      out.push(`=== ${entry.path} -> ${entry.target}${restarts}`);
      continue;
    }
    const bytes = contentBytes(entry);
    const head = `=== ${entry.path} (${entry.mode.toString(8).padStart(4, "0")} ${entry.owner ?? "root"}:${
      entry.group ?? entry.owner ?? "root"
    }${entry.secret ? ", secret" : ""}${restarts})`;
    const origin = await verbatimOrigin(entry.path, bytes, configDir);
    if (origin) out.push(`${head} = ${origin}`);
    else if (entry.secret) out.push(`${head} ${bytes.length} bytes, not shown`);
    else out.push(head, new TextDecoder().decode(bytes).replace(/\n$/, ""));
  }
  out.push(`=== start: ${plan.start.join(" ")}`);
  if (plan.dataDisk) {
    const { device, mountPoint, label, binds } = plan.dataDisk;
    out.push(`=== data disk: ${device} (ext4 ${label}) on ${mountPoint}`);
    for (const bind of binds) out.push(`${bind.target} <- ${bind.source}`);
  }
  out.push("");
  return out.join("\n");
}
