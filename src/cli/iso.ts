/**
 * `clusterboot iso build`: the bootable image — validated configuration first, then a cached base layer of Debian
 * with every role's daemons, a cluster layer with clusterboot, its units, the configuration and secrets, and grub
 * for BIOS and UEFI. Shows each stage as it goes and reports the image's size by component.
 *
 * @module
 */
import { buildIso, MiB } from "../iso/build.ts";
import { UsageError } from "../errors.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { loadStep, LOCATION_HELP } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const CACHE = `${Deno.env.get("CLUSTERBOOT_CACHE") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/clusterboot`}`;
/** Without SOURCE_DATE_EPOCH every file is dated 2026-01-01: a fixed date, so builds still reproduce. */
const DEFAULT_EPOCH = 1767225600;

const HELP = `usage: clusterboot iso build --config DIR --out FILE [--secrets DIR] [--extra DIR] [--cache DIR]
                         [--mirror URL] [--clusterboot PATH] [--kubernetes DIR] [--coredns FILE] [--kafka DIR]

Builds one bootable ISO for every machine of the cluster (needs root, debootstrap, squashfs-tools, xorriso, grub).
The configuration is validated first. The base layer (Debian ${"bookworm"} and every role's daemons) is cached in
--cache and reused while its inputs stay the same, so a rebuild after a configuration change takes seconds to
minutes. Timestamps come from SOURCE_DATE_EPOCH (default 2026-01-01): the same inputs give the same image.

options:
${LOCATION_HELP}
  --out FILE         the ISO to write
  --secrets DIR      secrets to embed (default: secrets/ in the configuration directory, when it exists)
  --extra DIR        files copied over the image last (site additions)
  --cache DIR        base layer cache (default: ${CACHE}/iso)
  --mirror URL       Debian mirror (default: http://deb.debian.org/debian)
  --clusterboot PATH this program: its dist directory or one executable (default: the running one)
  --kubernetes DIR   kube-apiserver, kube-controller-manager, kube-scheduler, kubelet (default: the
                     tools/build-kubernetes.sh cache for kubernetes.yaml's version)
  --coredns FILE     the coredns binary (default: the tools/build-coredns.sh cache)
  --kafka DIR        Kafka's jars (default: the tools/fetch-kafka.sh cache for kafka.yaml's version)

examples:
  clusterboot iso build --config configs --out cluster.iso
  SOURCE_DATE_EPOCH=1767225600 clusterboot iso build --config configs --secrets secrets --out cluster.iso`;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** This program as the image should carry it: the dist directory beside the running bundle, or the executable. */
function runningClusterboot(): string | undefined {
  const url = new URL(import.meta.url);
  if (url.protocol === "file:" && url.pathname.includes("/lib/")) {
    const dist = url.pathname.slice(0, url.pathname.lastIndexOf("/lib/"));
    if (exists(`${dist}/clusterboot`) && exists(`${dist}/lib/deno`)) return dist;
  }
  const exe = Deno.execPath();
  return exe.endsWith("/deno") ? undefined : exe;
}

function required(path: string | undefined, what: string, hint: string): string {
  if (!path || !exists(path)) throw new UsageError(`${what} not found${path ? ` at ${path}` : ""}`, hint);
  return path;
}

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.iso);
  const [sub] = parsed._;
  if (parsed.help || sub === undefined) return (out.result(HELP), parsed.help ? 0 : 2);
  if (sub !== "build") throw new UsageError(`unknown iso command "${sub}"`, 'did you mean "build"?');
  const target = stringFlag(parsed, "out");
  if (!target) throw new UsageError("iso build needs --out FILE");
  const loaded = await loadStep(parsed, out, { full: true });
  const { services } = loaded.config;
  if (!services.kubernetes || !services.kafka || !services.dns) {
    throw new UsageError("the image is built for clusters with kubernetes, kafka and dns enabled");
  }
  const secrets = stringFlag(parsed, "secrets") ??
    (exists(`${loaded.dir}/secrets`) ? `${loaded.dir}/secrets` : undefined);
  if (!secrets) out.warn("no secrets directory: the image carries no keys (make them with clusterboot pki init)");
  const corednsDefault = [...(exists(CACHE) ? Deno.readDirSync(CACHE) : [])]
    .filter((e) => e.name.startsWith("coredns-")).map((e) => `${CACHE}/${e.name}/bin/coredns`).sort().at(-1);
  const epoch = Number(Deno.env.get("SOURCE_DATE_EPOCH") ?? DEFAULT_EPOCH);
  const result = await buildIso({
    loaded,
    secrets,
    out: target,
    cache: stringFlag(parsed, "cache", `${CACHE}/iso`),
    mirror: stringFlag(parsed, "mirror", "http://deb.debian.org/debian"),
    clusterboot: required(
      stringFlag(parsed, "clusterboot") ?? runningClusterboot(),
      "clusterboot's own build",
      "run the built clusterboot (deno task build), or pass --clusterboot",
    ),
    kubernetesBin: required(
      stringFlag(parsed, "kubernetes") ?? `${CACHE}/kubernetes-${services.kubernetes.version}/bin`,
      "the Kubernetes binaries",
      "build them with tools/build-kubernetes.sh, or pass --kubernetes",
    ),
    coredns: required(
      stringFlag(parsed, "coredns") ?? corednsDefault,
      "coredns",
      "build it with tools/build-coredns.sh, or pass --coredns",
    ),
    kafkaLibs: required(
      stringFlag(parsed, "kafka") ?? `${CACHE}/kafka-${services.kafka.version}/libs`,
      "Kafka's jars",
      "fetch them with tools/fetch-kafka.sh, or pass --kafka",
    ),
    extra: stringFlag(parsed, "extra"),
    sourceDateEpoch: epoch,
  }, out);
  out.result(`${result.out}: ${MiB(result.bytes)}, sha256 ${result.sha256}`);
  for (const [component, bytes] of Object.entries(result.sizes)) out.result(`  ${component.padEnd(28)} ${MiB(bytes)}`);
  return 0;
}
