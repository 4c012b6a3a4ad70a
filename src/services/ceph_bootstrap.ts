/**
 * A Ceph cluster's first start, node by node: a monitor's store made once from a monmap of every monitor and our
 * keyring; an OSD's device prepared once as BlueStore under its fixed id. Never destructive: a monitor with a store
 * is left alone; a device that carries this OSD's label is only re-activated (its data kept), and one that carries
 * another OSD's label is refused.
 *
 * The decisions are pure ({@link osdAction}); the tools (monmaptool, ceph-mon, ceph, ceph-osd, ceph-bluestore-tool)
 * run behind {@link Tools} so tests can stand in for them.
 *
 * @module
 */
import { under } from "../apply/root.ts";
import { OwnerResolver } from "../apply/owners.ts";
import { EnvironmentError } from "../errors.ts";
import { commandTools, must, type Tools } from "../apply/commands.ts";
import { cephxKey } from "../pki/cephx.ts";
import type { RenderContext } from "./render.ts";
import { CEPH_PATHS, monitors } from "./ceph_conf.ts";

export const CEPH_DATA = { mon: "/var/lib/ceph/mon", osd: "/var/lib/ceph/osd" } as const;

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  Deno.chownSync(path, uid, gid);
  if (!Deno.lstatSync(path).isDirectory) return;
  for (const entry of Deno.readDirSync(path)) chownTree(`${path}/${entry.name}`, uid, gid);
}

/** The OSD's UUID, derived from the cluster's fsid and the OSD's id: the same on every preparation of it. */
export async function osdUuid(fsid: string, id: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${fsid}/osd.${id}`)));
  digest[6] = (digest[6] & 0x0f) | 0x40; // version 4 layout, so every tool takes it as a UUID
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface CephOptions {
  root: string;
  live: boolean;
  tools?: Tools;
}

function fsidOf(ctx: RenderContext, daemon: string): string {
  const fsid = ctx.ids.cephFsid;
  if (!fsid) {
    throw new EnvironmentError(
      `${daemon} cannot start: no Ceph fsid on this node`,
      "make it with clusterboot pki init, and install it with clusterboot boot --secrets DIR",
    );
  }
  return fsid;
}

/**
 * Makes this node's monitor store on its first start. The store is made in a directory beside its place and renamed
 * into it whole: a start killed half-way (by its start timeout, on a slow machine) leaves only that directory, which
 * the next start clears, and never a half-made store that it would keep as made.
 */
export async function ensureMonitor(ctx: RenderContext, options: CephOptions): Promise<string> {
  const fsid = fsidOf(ctx, "ceph-mon");
  const id = ctx.node.hostname;
  const dir = `${CEPH_DATA.mon}/ceph-${id}`;
  if (exists(under(options.root, `${dir}/store.db`))) return `ceph-mon: store of mon.${id} present, kept`;
  if (!options.live) return `ceph-mon: the store of mon.${id} would be made on the node`;
  const tools = options.tools ?? commandTools;
  const making = `${CEPH_DATA.mon}/.ceph-${id}.making`;
  removeIfThere(making);
  Deno.mkdirSync(making, { recursive: true });
  const monmap = await Deno.makeTempFile({ prefix: "clusterboot-monmap-" });
  try {
    const add = monitors(ctx.config).flatMap((m) => ["--addv", m.hostname, `[v2:${m.ip}:3300,v1:${m.ip}:6789]`]);
    await must(tools, ["monmaptool", "--create", "--clobber", "--fsid", fsid, ...add, monmap], "making the monmap");
    await must(tools, [
      ...["ceph-mon", "--cluster", "ceph", "--mkfs", "-i", id, "--mon-data", making],
      ...["--monmap", monmap, "--keyring", CEPH_PATHS.monKeyring],
    ], `making the store of mon.${id}`);
  } finally {
    Deno.removeSync(monmap);
  }
  const { uid, gid } = new OwnerResolver("/").resolve("ceph");
  chownTree(making, uid, gid);
  Deno.chownSync(CEPH_DATA.mon, uid, gid);
  // Without store.db the directory holds nothing of the monitor's: what an interrupted start of an older version
  // left. rename(2) replaces a directory only when it is empty.
  removeIfThere(dir);
  Deno.renameSync(making, dir);
  return `ceph-mon: store of mon.${id} made`;
}

/**
 * Points the OSD directory's `block` at its device and gives the device to ceph — on every start, since device
 * nodes come back owned by root after a reboot (what ceph-volume's activation does each boot).
 */
function linkDevice(dir: string, device: string, uid: number, gid: number): void {
  let current: string | undefined;
  try {
    current = Deno.readLinkSync(`${dir}/block`);
  } catch {
    current = undefined;
  }
  if (current !== device) {
    try {
      Deno.removeSync(`${dir}/block`);
    } catch {
      // not there
    }
    Deno.symlinkSync(device, `${dir}/block`);
  }
  Deno.chownSync(device, uid, gid);
}

/** What an OSD device's BlueStore label says, as `ceph-bluestore-tool show-label` prints it. */
export interface OsdLabel {
  /** The OSD the device was prepared for. */
  uuid?: string;
  /** Written by `ceph-osd --mkfs` last, with the OSD's superblock: absent when a preparation was cut short. */
  whoami?: string;
  /** The OSD's cephx key, when the preparation got as far as storing it. */
  key?: string;
}

/**
 * What an OSD's preparation must do, given its directory and its device's label. A label of this OSD without its id
 * is a preparation cut short (a start killed by its timeout): it is made again, which `ceph-osd --mkfs` resumes, and
 * never activated, which would start an OSD without a superblock that fails at every start.
 */
export function osdAction(dirPrepared: boolean, label: OsdLabel, uuid: string, id: number):
  | "keep"
  | "activate"
  | "create"
  | "refuse" {
  if (label.uuid !== undefined && label.uuid !== uuid) return "refuse";
  if (label.uuid === uuid && label.whoami === String(id)) return dirPrepared ? "keep" : "activate";
  return "create";
}

/** The label of `device`, or an empty one when it has none. */
function readLabel(stdout: string, device: string): OsdLabel {
  const fields = JSON.parse(stdout)[device] as Record<string, string> | undefined;
  return { uuid: fields?.osd_uuid, whoami: fields?.whoami, key: fields?.osd_key };
}

/** The key of the OSD's keyring in its directory, if a preparation wrote one. */
function keyringKey(path: string): string | undefined {
  try {
    return /^\s*key\s*=\s*(\S+)/m.exec(Deno.readTextFileSync(path))?.[1];
  } catch {
    return undefined;
  }
}

/** Prepares OSD `id` on its device on its first start. */
export async function ensureOsd(ctx: RenderContext, id: number, options: CephOptions): Promise<string> {
  const fsid = fsidOf(ctx, "ceph-osd");
  const osd = (ctx.node.file.ceph?.osds ?? []).find((o) => o.id === id);
  if (!osd) throw new EnvironmentError(`ceph-osd: node ${ctx.node.name} has no OSD ${id}`);
  const dir = `${CEPH_DATA.osd}/ceph-${id}`;
  const uuid = await osdUuid(fsid, id);
  const dirPrepared = exists(under(options.root, `${dir}/whoami`));
  if (!options.live) {
    return dirPrepared ? `ceph-osd: osd.${id} prepared, kept` : `ceph-osd: osd.${id} would be prepared on the node`;
  }
  const tools = options.tools ?? commandTools;
  const shown = await tools.run(["ceph-bluestore-tool", "show-label", "--dev", osd.device]);
  const label = shown.code === 0 ? readLabel(shown.stdout, osd.device) : {};
  const action = osdAction(dirPrepared, label, uuid, id);
  const { uid, gid } = new OwnerResolver("/").resolve("ceph");
  switch (action) {
    case "refuse":
      throw new EnvironmentError(
        `ceph-osd: ${osd.device} holds BlueStore of another OSD (${label.uuid}), not osd.${id} (${uuid}): left alone`,
        "if its data is no longer wanted, zap it by hand (ceph-volume lvm zap) and rerun",
      );
    case "keep":
      linkDevice(dir, osd.device, uid, gid);
      return `ceph-osd: osd.${id} prepared on ${osd.device}, kept`;
    case "activate":
      Deno.mkdirSync(dir, { recursive: true });
      await must(
        tools,
        ["ceph-bluestore-tool", "prime-osd-dir", "--dev", osd.device, "--path", dir, "--no-mon-config"],
        `activating osd.${id}`,
      );
      linkDevice(dir, osd.device, uid, gid);
      chownTree(dir, uid, gid);
      return `ceph-osd: osd.${id} found on ${osd.device} and activated, its data kept`;
    case "create": {
      // The key this OSD was registered with, when an earlier preparation got that far: registering it again with it
      // changes nothing, where a new key would be refused. The keyring is written before the registration for that.
      const key = label.key ?? keyringKey(`${dir}/keyring`) ?? cephxKey();
      Deno.mkdirSync(dir, { recursive: true });
      Deno.writeTextFileSync(`${dir}/keyring`, `[osd.${id}]\n\tkey = ${key}\n`, { mode: 0o600 });
      const secret = await Deno.makeTempFile({ prefix: "clusterboot-osd-" });
      try {
        Deno.writeTextFileSync(secret, JSON.stringify({ cephx_secret: key }));
        await must(tools, [
          "ceph",
          "--cluster",
          "ceph",
          "--name",
          "client.bootstrap-osd",
          "--keyring",
          CEPH_PATHS.bootstrapOsdKeyring,
          "osd",
          "new",
          uuid,
          String(id),
          "-i",
          secret,
        ], `registering osd.${id}`);
      } finally {
        Deno.removeSync(secret);
      }
      linkDevice(dir, osd.device, uid, gid);
      chownTree(dir, uid, gid);
      // The key also goes into the BlueStore label, so a lost OSD directory can be rebuilt from the device.
      const keyfile = `${dir}/.key`;
      Deno.writeTextFileSync(keyfile, key, { mode: 0o600 });
      Deno.chownSync(keyfile, uid, gid);
      try {
        await must(tools, [
          "ceph-osd",
          "--cluster",
          "ceph",
          "-i",
          String(id),
          "--mkfs",
          "--osd-uuid",
          uuid,
          "--osd-objectstore",
          "bluestore",
          "--keyfile",
          keyfile,
          "--setuser",
          "ceph",
          "--setgroup",
          "ceph",
        ], `making BlueStore for osd.${id} on ${osd.device}`);
      } finally {
        Deno.removeSync(keyfile);
      }
      return label.uuid === uuid
        ? `ceph-osd: osd.${id} prepared on ${osd.device}, over a preparation cut short`
        : `ceph-osd: osd.${id} prepared on ${osd.device}`;
    }
  }
}
