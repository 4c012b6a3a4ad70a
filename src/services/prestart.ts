/**
 * What runs before a daemon starts (its unit's ExecStartPre, through `render`): deciding how etcd joins, and
 * checks that turn a doomed start into one clear message — a missing certificate, an unreachable etcd — instead of
 * a daemon crashing in a loop.
 *
 * Nothing here reaches the network unless the root is the live system: a scratch root's addresses are not this
 * machine's neighbours.
 *
 * @module
 */
import { under } from "../apply/root.ts";
import { presentUnder } from "../apply/absences.ts";
import { envFilePath } from "../plan/paths.ts";
import { EnvironmentError } from "../errors.ts";
import type { Config, Node } from "../config/model.ts";
import { actOnEtcd, decideEtcd, type Etcdctl, type EtcdDecision, observeEtcd } from "./etcd_membership.ts";
import { ETCD_PATHS, KUBERNETES_PATHS as K, masters } from "./kubernetes_paths.ts";
import type { Daemon, Observed, RenderContext } from "./render.ts";
import { isMaster } from "./roles.ts";
import { ensureKafkaStorage } from "./kafka_storage.ts";
import { ensureMonitor, ensureOsd } from "./ceph_bootstrap.ts";
import { MOSQUITTO_PATHS } from "./mosquitto.ts";
import { OwnerResolver } from "../apply/owners.ts";

export interface PreStartOptions {
  root: string;
  /** The root is the running system: etcd membership and reachability may be checked over the network. */
  live: boolean;
  etcdctl?: Etcdctl;
  /** How long to wait for a dependency to answer. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Observes what rendering this daemon depends on, and changes etcd's membership when the decision says so. */
export async function observeForDaemon(
  daemon: Daemon,
  config: Config,
  node: Node,
  options: PreStartOptions,
): Promise<{ observed: Observed; decision?: EtcdDecision }> {
  if (daemon.name !== "etcd") return { observed: {} };
  const dataPresent = exists(under(options.root, `${ETCD_PATHS.dataDir}/member`));
  const { clientPort, peerPort } = config.services.kubernetes!.etcd;
  const others = masters(config).filter((m) => m.name !== node.name).map((m) => `https://${m.ip}:${clientPort}`);
  const me = { name: node.name, peerUrl: `https://${node.ip}:${peerPort}` };
  const etcdctl = options.live ? (options.etcdctl ?? new CommandEtcdctl()) : undefined;
  const view = etcdctl ? await observeEtcd(etcdctl, others, dataPresent) : { dataPresent };
  const decision = decideEtcd(view, me);
  options.log?.(`etcd: starting as ${decision.state}: ${decision.reason}`);
  if (etcdctl && (decision.add || decision.remove)) await actOnEtcd(etcdctl, others, decision, me);
  return { observed: { etcdClusterState: decision.state }, decision };
}

/**
 * What boot observes for the whole node, from the disk only (boot runs before the network is up): whether etcd
 * already has data. The unit's own pre-start refines this with the running cluster.
 *
 * Once etcd has data it ignores its initial cluster state, so either value is right; the one its env file already
 * has is kept, and a rerun of boot (or `status`) finds nothing to change where nothing changed.
 */
export function observeNode(node: Node, root: string): Observed {
  if (!isMaster(node.roles)) return {};
  if (!presentUnder(root, `${ETCD_PATHS.dataDir}/member`)) return { etcdClusterState: "new" };
  const written = envValue(under(root, envFilePath("etcd")), "ETCD_INITIAL_CLUSTER_STATE");
  return { etcdClusterState: written === "new" ? "new" : "existing" };
}

/** One variable of an env file, unquoted; undefined when the file or the line is absent. */
function envValue(path: string, name: string): string | undefined {
  try {
    const line = Deno.readTextFileSync(path).split("\n").find((l) => l.startsWith(`${name}=`));
    return line?.slice(name.length + 1).replace(/^"(.*)"$/, "$1");
  } catch {
    return undefined;
  }
}

/**
 * Prepares what a daemon's first start needs beyond its files: Kafka's storage formatted, a Ceph monitor's store
 * made, an OSD's device prepared. Each is done once and left alone afterwards; without a live root only reported.
 */
export async function prepareDaemon(
  daemon: Daemon,
  ctx: RenderContext,
  options: PreStartOptions,
  instance?: string,
): Promise<string[]> {
  switch (daemon.name) {
    case "ceph-mon":
      return [await ensureMonitor(ctx, options)];
    case "ceph-osd": {
      // One instance per OSD; boot (no instance) prepares nothing: each OSD's unit does, when it starts.
      return instance === undefined ? [] : [await ensureOsd(ctx, Number(instance), options)];
    }
    case "kafka":
      return [await ensureKafkaStorage(ctx, options)];
    case "mosquitto":
      return ensureMosquittoData(ctx, options);
    default:
      return [];
  }
}

/** Mosquitto's persistence directory, owned by the user it switches to (Debian's package makes it; boot repairs). */
function ensureMosquittoData(ctx: RenderContext, options: PreStartOptions): string[] {
  if (!ctx.config.services.mqtt?.persistence) return [];
  const dir = under(options.root, MOSQUITTO_PATHS.data);
  if (exists(dir)) return [];
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { uid, gid } = new OwnerResolver(options.root).resolve("mosquitto");
  Deno.chownSync(dir, uid, gid);
  return [`mosquitto: made ${MOSQUITTO_PATHS.data}`];
}

/** Checks what a daemon needs before it starts; throws one {@link EnvironmentError} naming every problem. */
export async function checkBeforeStart(daemon: Daemon, ctx: RenderContext, options: PreStartOptions): Promise<void> {
  const missing = (daemon.requires?.(ctx) ?? []).filter((path) => !exists(under(options.root, path)));
  if (missing.length) {
    throw new EnvironmentError(
      `${daemon.name} cannot start: missing ${missing.join(", ")}`,
      "install the node's keys with clusterboot boot --secrets DIR (made by clusterboot pki init)",
    );
  }
  if (daemon.name === "kube-apiserver" && options.live) {
    const port = ctx.config.services.kubernetes!.etcd.clientPort;
    const endpoints = masters(ctx.config).map((m) => ({ hostname: m.ip, port }));
    if (!await anyAnswers(endpoints, options.timeoutMs ?? 10_000)) {
      throw new EnvironmentError(
        `kube-apiserver cannot start: no etcd member answers (${
          endpoints.map((e) => `${e.hostname}:${e.port}`).join(", ")
        })`,
        "check etcd.service on the masters (journalctl -u etcd)",
      );
    }
  }
}

/** Whether any of the endpoints accepts a TCP connection within `timeoutMs`, retrying until then. */
async function anyAnswers(endpoints: { hostname: string; port: number }[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    for (const endpoint of endpoints) {
      try {
        const conn = await Deno.connect(endpoint);
        conn.close();
        return true;
      } catch {
        // not yet
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() < deadline);
  return false;
}

/** etcdctl on PATH, authenticated with the API server's etcd client certificate (present on every master). */
export class CommandEtcdctl implements Etcdctl {
  async run(endpoints: string[], args: string[]) {
    const output = await new Deno.Command("etcdctl", {
      args: [
        `--endpoints=${endpoints.join(",")}`,
        `--cacert=${ETCD_PATHS.ca}`,
        `--cert=${K.apiserverEtcdClientCert}`,
        `--key=${K.apiserverEtcdClientKey}`,
        "--dial-timeout=2s",
        "--command-timeout=5s",
        ...args,
      ],
      env: { ETCDCTL_API: "3" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output().catch((error) => {
      if (error instanceof Deno.errors.NotFound) throw new EnvironmentError("etcdctl not found on PATH");
      throw error;
    });
    const decoder = new TextDecoder();
    return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
  }
}
