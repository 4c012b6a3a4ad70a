/**
 * Building the bootable image. Two squashfs layers that live-boot stacks: a base (Debian with every role's
 * daemons) cached by its inputs, so a rebuild after a config change only makes the small second layer — clusterboot,
 * its units, the configuration and secrets, and the software Debian lacks — and the ISO itself (grub, BIOS and UEFI).
 * Timestamps come from SOURCE_DATE_EPOCH, so the same inputs give the same image.
 *
 * @module
 */
import { encodeSnapshot, SNAPSHOT_FILE } from "../config/compiled.ts";
import type { LoadedConfig } from "../config/model.ts";
import { EnvironmentError } from "../errors.ts";
import { UNITS } from "../plan/units.ts";
import { RUNTIME_CACHE, warmRuntimeCache } from "./runtime_cache.ts";
import { compileLauncher, LAUNCHER_SOURCE, placedScript } from "./launcher.ts";
import XORRISO_WRAPPER from "../../templates/xorriso-reproducible.sh" with { type: "text" };
import {
  BASE_PACKAGES,
  DISABLED_UNITS,
  ENABLED_UNITS,
  grubConfig,
  IMAGE_PATHS,
  ROLE_PACKAGES,
  SUITE,
  SYSTEM_USERS,
  WAIT_ONLINE_DROPIN,
} from "./image.ts";

export interface IsoInputs {
  loaded: LoadedConfig;
  /** The secrets directory to embed, if any. */
  secrets?: string;
  out: string;
  /** Where the base layer is cached between builds. */
  cache: string;
  mirror: string;
  /** clusterboot itself: a dist directory (launcher and bundle) or one executable. */
  clusterboot: string;
  kubernetesBin: string;
  coredns: string;
  kafkaLibs: string;
  /** Files copied over the image last (site additions, test agents). */
  extra?: string;
  sourceDateEpoch: number;
}

export interface Progress {
  step<T>(name: string, run: () => Promise<T> | T, summary?: (value: T) => string): Promise<T>;
  info(text: string): void;
}

/** Runs a command, saying every 20 s that it still works; throws with its last output when it fails. */
async function run(cmd: string[], progress: Progress, options: { env?: Record<string, string>; cwd?: string } = {}) {
  const child = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const started = Date.now();
  const timer = setInterval(
    () => progress.info(`  ... ${cmd[0]} still working (${Math.round((Date.now() - started) / 1000)} s)`),
    20_000,
  );
  try {
    const out = await child.output();
    if (!out.success) {
      const text = new TextDecoder().decode(out.stderr).trim() || new TextDecoder().decode(out.stdout).trim();
      throw new EnvironmentError(
        `${cmd.slice(0, 3).join(" ")} failed (exit ${out.code}): ${text.split("\n").slice(-5).join(" | ")}`,
      );
    }
    return new TextDecoder().decode(out.stdout);
  } finally {
    clearInterval(timer);
  }
}

async function sha256(text: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Bytes under `path`, for the size report. */
async function size(path: string): Promise<number> {
  const out = await new Deno.Command("du", { args: ["-sb", path], stdout: "piped", stderr: "null" }).output();
  return Number(new TextDecoder().decode(out.stdout).split("\t")[0]) || 0;
}

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

interface Base {
  dir: string;
  squashfs: string;
  kernel: string;
  initrd: string;
}

/** The base layer: made once per set of inputs and kept in the cache. */
async function baseLayer(inputs: IsoInputs, progress: Progress): Promise<Base> {
  const key = (await sha256(JSON.stringify({
    SUITE,
    mirror: inputs.mirror,
    BASE_PACKAGES,
    ROLE_PACKAGES,
    DISABLED_UNITS,
    ENABLED_UNITS,
    SYSTEM_USERS,
    layout: 1,
  }))).slice(0, 16);
  const dir = `${inputs.cache}/base-${key}`;
  const base = { dir, squashfs: `${dir}/00-base.squashfs`, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.img` };
  if (exists(`${dir}/.complete`)) {
    progress.info(`  base layer ${key} from the cache (${MiB(Deno.statSync(base.squashfs).size)})`);
    return base;
  }
  await Deno.mkdir(dir, { recursive: true });
  const root = `${dir}/root`;
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await progress.step("debootstrap", () =>
    run([
      "debootstrap",
      "--variant=minbase",
      `--include=${BASE_PACKAGES.join(",")}`,
      SUITE,
      root,
      inputs.mirror,
    ], progress));
  const chroot = (cmd: string) =>
    run(["chroot", root, "sh", "-c", cmd], progress, { env: { DEBIAN_FRONTEND: "noninteractive", LC_ALL: "C" } });
  await Deno.copyFile("/etc/resolv.conf", `${root}/etc/resolv.conf`);
  const mounts = [["--bind", "/dev", `${root}/dev`], ["-t", "proc", "proc", `${root}/proc`], [
    "-t",
    "sysfs",
    "sys",
    `${root}/sys`,
  ]];
  for (const m of mounts) await run(["mount", ...m], progress);
  try {
    // Packages must not start daemons in the chroot (there is no systemd running in it anyway).
    await Deno.writeTextFile(`${root}/usr/sbin/policy-rc.d`, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    await progress.step(
      "install the roles' packages",
      () =>
        chroot(
          `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${
            ROLE_PACKAGES.join(" ")
          } && apt-get clean`,
        ),
    );
    await Deno.remove(`${root}/usr/sbin/policy-rc.d`);
  } finally {
    for (const m of [...mounts].reverse()) await run(["umount", m.at(-1)!], progress).catch(() => {});
  }
  await chroot(`systemctl disable ${DISABLED_UNITS.join(" ")} 2>/dev/null || true`);
  await chroot(`systemctl enable ${ENABLED_UNITS.join(" ")}`);
  for (const user of SYSTEM_USERS) {
    await chroot(
      `id ${user.name} >/dev/null 2>&1 || useradd --system --home ${user.home} --shell /usr/sbin/nologin ${user.name}`,
    );
  }
  // Every machine gets its own machine id at boot; resolution goes through systemd-resolved.
  await Deno.writeTextFile(`${root}/etc/machine-id`, "");
  await Deno.remove(`${root}/etc/resolv.conf`);
  await Deno.symlink("../run/systemd/resolve/stub-resolv.conf", `${root}/etc/resolv.conf`);
  const kernel = [...Deno.readDirSync(`${root}/boot`)].find((e) => e.name.startsWith("vmlinuz-"))!.name;
  const initrd = [...Deno.readDirSync(`${root}/boot`)].find((e) => e.name.startsWith("initrd.img-"))!.name;
  await Deno.copyFile(`${root}/boot/${kernel}`, base.kernel);
  await Deno.copyFile(`${root}/boot/${initrd}`, base.initrd);
  await progress.step(
    "squash the base layer",
    () => squash(root, base.squashfs, inputs.sourceDateEpoch, progress, ["boot"]),
  );
  await Deno.remove(root, { recursive: true });
  await Deno.writeTextFile(`${dir}/.complete`, `${key}\n`);
  return base;
}

async function squash(root: string, out: string, epoch: number, progress: Progress, exclude: string[] = []) {
  await Deno.remove(out).catch(() => {});
  // Reproducible: fixed times for the filesystem and every inode (mksquashfs sorts entries itself).
  await run([
    "mksquashfs",
    root,
    out,
    "-noappend",
    "-quiet",
    "-comp",
    "zstd",
    "-mkfs-time",
    String(epoch),
    "-all-time",
    String(epoch),
    ...(exclude.length ? ["-e", ...exclude] : []),
  ], progress);
}

/** Copies a directory tree, keeping modes (and owners, as root). */
async function copyTree(from: string, to: string, progress: Progress) {
  await Deno.mkdir(to, { recursive: true });
  await run(["cp", "-a", "--no-preserve=timestamps", `${from}/.`, to], progress);
}

/** The second layer: clusterboot, its units, the configuration, the secrets, and the software Debian lacks. */
async function payloadLayer(inputs: IsoInputs, root: string, progress: Progress): Promise<Record<string, number>> {
  const at = (path: string) => `${root}${path}`;
  const sizes: Record<string, number> = {};
  // clusterboot: the launcher and bundle of dist/, or one compiled executable.
  if (Deno.statSync(inputs.clusterboot).isDirectory) {
    await copyTree(inputs.clusterboot, at(IMAGE_PATHS.clusterbootDir), progress);
    await placeLauncher(inputs.clusterboot, root);
    sizes.clusterboot = await size(at(IMAGE_PATHS.clusterbootDir));
    // The runtime's compiled code of the bundle, made where the image has it (runtime_cache.ts).
    const warmed = await progress.step(
      "compiled code of clusterboot for the image's runtime",
      () => warmRuntimeCache(root),
    );
    progress.info(`  ${warmed.databases} databases, ${Math.round(warmed.bytes / 1024)} KiB in ${RUNTIME_CACHE}`);
  } else {
    await Deno.mkdir(at(IMAGE_PATHS.binDir), { recursive: true });
    await Deno.copyFile(inputs.clusterboot, at(IMAGE_PATHS.clusterboot));
    sizes.clusterboot = Deno.statSync(inputs.clusterboot).size;
  }
  let kubernetes = 0;
  for (const binary of ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"]) {
    await Deno.copyFile(`${inputs.kubernetesBin}/${binary}`, at(`${IMAGE_PATHS.binDir}/${binary}`));
    await Deno.chmod(at(`${IMAGE_PATHS.binDir}/${binary}`), 0o755);
    kubernetes += Deno.statSync(at(`${IMAGE_PATHS.binDir}/${binary}`)).size;
  }
  sizes.kubernetes = kubernetes;
  await Deno.copyFile(inputs.coredns, at(`${IMAGE_PATHS.binDir}/coredns`));
  await Deno.chmod(at(`${IMAGE_PATHS.binDir}/coredns`), 0o755);
  sizes.coredns = Deno.statSync(inputs.coredns).size;
  await copyTree(inputs.kafkaLibs, at(IMAGE_PATHS.kafkaLibs), progress);
  await Deno.remove(at(`${IMAGE_PATHS.kafkaLibs}/.complete`)).catch(() => {});
  sizes.kafka = await size(at(IMAGE_PATHS.kafkaLibs));

  // The configuration as validated, with its compiled snapshot: boot on the node skips the YAML parser.
  for (const [name, bytes] of inputs.loaded.sources) {
    const path = at(`${IMAGE_PATHS.config}/${name}`);
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, bytes, { mode: 0o644 });
  }
  await Deno.writeTextFile(
    at(`${IMAGE_PATHS.config}/${SNAPSHOT_FILE}`),
    encodeSnapshot(inputs.loaded),
  );
  sizes.configuration = await size(at(IMAGE_PATHS.config));
  if (inputs.secrets) {
    await copyTree(inputs.secrets, at(IMAGE_PATHS.secrets), progress);
    await Deno.chmod(at(IMAGE_PATHS.secrets), 0o700);
    sizes.secrets = await size(at(IMAGE_PATHS.secrets));
  }

  await Deno.mkdir(at(`${IMAGE_PATHS.units}/multi-user.target.wants`), { recursive: true });
  for (const [name, text] of Object.entries(UNITS)) await Deno.writeTextFile(at(`${IMAGE_PATHS.units}/${name}`), text);
  await Deno.symlink(
    `${IMAGE_PATHS.units}/cluster-detect.service`,
    at(`${IMAGE_PATHS.units}/multi-user.target.wants/cluster-detect.service`),
  );
  await Deno.mkdir(at(`${IMAGE_PATHS.units}/systemd-networkd-wait-online.service.d`), { recursive: true });
  await Deno.writeTextFile(
    at(`${IMAGE_PATHS.units}/systemd-networkd-wait-online.service.d/clusterboot.conf`),
    WAIT_ONLINE_DROPIN,
  );
  // A neutral name until cluster-detect gives the machine its own.
  await Deno.writeTextFile(at("/etc/hostname"), "clusterboot\n");
  if (inputs.extra) {
    await copyTree(inputs.extra, root, progress);
    sizes.extra = await size(inputs.extra);
  }
  return sizes;
}

export interface IsoResult {
  out: string;
  bytes: number;
  /** Bytes of each component, for the report. */
  sizes: Record<string, number>;
  sha256: string;
}

export async function buildIso(inputs: IsoInputs, progress: Progress): Promise<IsoResult> {
  if (Deno.uid() !== 0) throw new EnvironmentError("building the image needs root (debootstrap, chroot, mounts)");
  for (const tool of ["debootstrap", "mksquashfs", "grub-mkrescue", "xorriso"]) {
    const found = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" }).output();
    if (!found.success) {
      throw new EnvironmentError(
        `${tool} not found`,
        "install debootstrap, squashfs-tools, xorriso, grub-pc-bin, grub-efi-amd64-bin, mtools",
      );
    }
  }
  await Deno.mkdir(inputs.cache, { recursive: true });
  const base = await progress.step("base layer (Debian and every role's daemons)", () => baseLayer(inputs, progress));
  const work = await Deno.makeTempDir({ dir: inputs.cache, prefix: "build-" });
  try {
    const payload = `${work}/payload`;
    const sizes = await progress.step(
      "cluster layer (clusterboot, units, configuration, secrets)",
      () => payloadLayer(inputs, payload, progress),
    );
    const tree = `${work}/iso`;
    await Deno.mkdir(`${tree}/live`, { recursive: true });
    await Deno.mkdir(`${tree}/boot/grub`, { recursive: true });
    await progress.step(
      "squash the cluster layer",
      () => squash(payload, `${tree}/live/50-cluster.squashfs`, inputs.sourceDateEpoch, progress),
    );
    await Deno.link(base.squashfs, `${tree}/live/00-base.squashfs`).catch(() =>
      Deno.copyFile(base.squashfs, `${tree}/live/00-base.squashfs`)
    );
    await Deno.copyFile(base.kernel, `${tree}/live/vmlinuz`);
    await Deno.copyFile(base.initrd, `${tree}/live/initrd.img`);
    await Deno.writeTextFile(
      `${tree}/boot/grub/grub.cfg`,
      grubConfig(`clusterboot ${inputs.loaded.config.cluster.name}`),
    );
    const epoch = String(inputs.sourceDateEpoch);
    // Every file of the tree carries the same date (HFS+ and ISO directory records store them).
    for (
      const path of [
        `${tree}/boot/grub/grub.cfg`,
        `${tree}/boot/grub`,
        `${tree}/boot`,
        `${tree}/live/vmlinuz`,
        `${tree}/live/initrd.img`,
        `${tree}/live/00-base.squashfs`,
        `${tree}/live/50-cluster.squashfs`,
        `${tree}/live`,
        tree,
      ]
    ) {
      await Deno.utime(path, Number(epoch), Number(epoch));
    }
    await Deno.mkdir(inputs.out.slice(0, inputs.out.lastIndexOf("/")) || ".", { recursive: true });
    // grub-mkrescue stamps the time of day, a random EFI volume serial and random GPT GUIDs: its xorriso goes
    // through a wrapper that derives all three from SOURCE_DATE_EPOCH.
    const wrapper = `${work}/xorriso`;
    await Deno.writeTextFile(wrapper, XORRISO_WRAPPER, { mode: 0o755 });
    await progress.step(
      "ISO (grub for BIOS and UEFI)",
      () =>
        run(["grub-mkrescue", `--xorriso=${wrapper}`, "-o", inputs.out, tree], progress, {
          env: { SOURCE_DATE_EPOCH: epoch },
        }),
    );
    sizes.base = Deno.statSync(base.squashfs).size;
    sizes["kernel and initramfs"] = Deno.statSync(base.kernel).size + Deno.statSync(base.initrd).size;
    sizes["cluster layer (squashed)"] = Deno.statSync(`${tree}/live/50-cluster.squashfs`).size;
    const bytes = Deno.statSync(inputs.out).size;
    const digest = await sha256File(inputs.out);
    return { out: inputs.out, bytes, sizes, sha256: digest };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

async function sha256File(path: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split(" ")[0];
}

export { MiB };

/**
 * Puts the image's launcher at /usr/local/bin/clusterboot under `root`: a copy of the launcher of `dist` that knows
 * its directory and the runtime's cache, not a link to it (a shell launcher would fork a readlink at every boot and
 * every daemon's ExecStartPre to find it). A C launcher is compiled again from its source with both written in; a
 * shell launcher gets them on its `here=` line. The bundle itself is copied to IMAGE_PATHS.clusterbootDir beside this.
 */
export async function placeLauncher(dist: string, root: string): Promise<void> {
  await Deno.mkdir(`${root}${IMAGE_PATHS.binDir}`, { recursive: true });
  const target = `${root}${IMAGE_PATHS.clusterboot}`;
  let program: string | undefined;
  try {
    program = await Deno.readTextFile(`${dist}/lib/${LAUNCHER_SOURCE}`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const place = { home: IMAGE_PATHS.clusterbootDir, denoDir: RUNTIME_CACHE };
  if (program !== undefined) {
    const compiled = await compileLauncher(program, target, place);
    if (!compiled.ok) {
      throw new Error(`compiling the image's launcher from ${dist}/lib/${LAUNCHER_SOURCE}: ${compiled.output}`);
    }
    return;
  }
  const script = await Deno.readTextFile(`${dist}/clusterboot`);
  await Deno.writeTextFile(target, placedScript(script, place, `${dist}/clusterboot`), { mode: 0o755 });
}
