/**
 * `clusterboot addons`: once the API server answers, the objects every cluster needs (bootstrap token, the RBAC for
 * joining nodes, CoreDNS's read access) are applied. cluster-addons.service runs it on the masters.
 *
 * @module
 */
import { applyObjects, clientFromKubeconfig, waitForApi } from "../addons/apply.ts";
import { clusterObjects } from "../addons/manifests.ts";
import { under } from "../apply/root.ts";
import { EnvironmentError, UsageError } from "../errors.ts";
import { BOOTSTRAP_TOKEN_PATH, KUBERNETES_PATHS } from "../services/kubernetes_paths.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { loadStep, LOCATION_HELP, rootOf } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot addons [--kubeconfig FILE] [--timeout SECONDS] [--config DIR] [--root DIR]

Waits until the API server answers /readyz, then applies with server-side apply (field manager "clusterboot"):
the bootstrap token made by "clusterboot pki init" (as kubeadm stores it), the RBAC that lets its holders ask for
kubelet certificates and has them approved, and, when CoreDNS serves the Kubernetes zone, its read access.
Rerunning changes nothing that is already right.

options:
${LOCATION_HELP}
  --kubeconfig FILE  an admin kubeconfig (default: <root>/etc/kubernetes/admin.conf)
  --timeout SECONDS  how long to wait for the API server (default 300)

examples:
  clusterboot addons
  clusterboot addons --kubeconfig /etc/kubernetes/admin.conf --timeout 60`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.addons);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const timeout = Number(stringFlag(parsed, "timeout", "300"));
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds`);
  const loaded = await loadStep(parsed, out);
  if (!loaded.config.services.kubernetes) throw new UsageError("kubernetes is not enabled in cluster.yaml");
  let token: string;
  try {
    token = Deno.readTextFileSync(under(root, BOOTSTRAP_TOKEN_PATH)).trim();
  } catch {
    throw new EnvironmentError(
      `no bootstrap token at ${under(root, BOOTSTRAP_TOKEN_PATH)}`,
      "install the masters' keys with clusterboot boot --secrets DIR",
    );
  }
  const kubeconfig = stringFlag(parsed, "kubeconfig") ?? under(root, KUBERNETES_PATHS.adminConf);
  const client = await clientFromKubeconfig(kubeconfig);
  await out.step(`wait for ${client.server}/readyz`, () => waitForApi(client, timeout * 1000));
  const objects = clusterObjects(loaded.config, token);
  await out.step("apply cluster objects", () => applyObjects(client, objects), (names) => {
    for (const name of names) out.info(`  applied ${name}`);
    return `${names.length} objects`;
  });
  return 0;
}
