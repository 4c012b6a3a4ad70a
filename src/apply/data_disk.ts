/**
 * Putting a node's daemon state on its data disk: format the disk only when it is blank, mount it, and bind each
 * state directory onto a directory of the disk. Never destructive: a disk holding anything but our own filesystem is
 * refused, and a state directory met for the first time is copied onto the disk (what the packages put there) before
 * it is covered. A rerun finds everything mounted and does nothing.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import type { DataDiskPlan } from "../plan/data_disk.ts";
import { commandTools, must, type Tools } from "./commands.ts";
import { under } from "./root.ts";

export interface DataDiskReport {
  formatted: boolean;
  /** Whether the disk was mounted by this run (false: it already was). */
  mounted: boolean;
  /** The state directories bound by this run. */
  bound: string[];
}

/** The report in a line, e.g. `formatted, mounted, bound /var/lib/etcd` or `in place`. */
export function describeDataDisk(report: DataDiskReport): string {
  const done = [
    report.formatted ? "formatted" : "",
    report.mounted ? "mounted" : "",
    report.bound.length ? `bound ${report.bound.join(" ")}` : "",
  ].filter(Boolean);
  return done.length ? done.join(", ") : "in place";
}

/** A mount point and the device it is on, as `major:minor`, from /proc/self/mountinfo. */
export type Mounts = ReadonlyMap<string, string>;

/** The mounts of this process's namespace: mount point → `major:minor` of its device (the last mount wins). */
export function parseMountinfo(text: string): Mounts {
  const mounts = new Map<string, string>();
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    if (fields.length < 5) continue;
    // Spaces and other odd characters in paths are written as octal escapes (\040).
    const point = fields[4].replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
    mounts.set(point, fields[2]);
  }
  return mounts;
}

/** `major:minor` of a block device, as mountinfo writes it. */
function deviceNumber(device: string): string {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(device);
  } catch {
    throw new EnvironmentError(
      `data disk ${device} does not exist`,
      "attach the disk, or remove dataDisk from the node file",
    );
  }
  if (!info.isBlockDevice || info.rdev === null) {
    throw new EnvironmentError(`data disk ${device} is not a block device`);
  }
  const rdev = info.rdev;
  const major = ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/** What blkid's low-level probe finds on the device: nothing (blank), or its signature's fields. */
export async function probe(device: string, tools: Tools): Promise<Record<string, string> | "blank"> {
  const result = await tools.run(["blkid", "-p", "-o", "export", device]);
  if (result.code === 2) return "blank";
  if (result.code !== 0) {
    throw new EnvironmentError(`cannot probe data disk ${device} (blkid exit ${result.code}): ${result.stderr.trim()}`);
  }
  return Object.fromEntries(
    result.stdout.split("\n").filter((l) => l.includes("=")).map((
      l,
    ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Whether a probed signature is the filesystem boot makes; otherwise why not, for the refusal. */
export function foreignContent(found: Record<string, string>, label: string): string | undefined {
  if (found.TYPE === "ext4" && found.LABEL === label) return undefined;
  const article = (word: string) => /^[aeiou]/i.test(word) ? "an" : "a";
  if (found.PTTYPE) return `${article(found.PTTYPE)} ${found.PTTYPE} partition table`;
  if (found.TYPE) {
    return `${article(found.TYPE)} ${found.TYPE} filesystem${found.LABEL ? ` labelled ${found.LABEL}` : ""}`;
  }
  return "data of an unknown kind";
}

export interface DataDiskOptions {
  root: string;
  tools?: Tools;
  /** The mount table; read from /proc/self/mountinfo when absent. */
  mounts?: () => Mounts;
  /** How long to wait for the device to appear (udev may still be naming disks early in boot). */
  waitMs?: number;
}

/** Waits until `device` exists, for at most `ms`. */
async function waitForDevice(device: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!exists(device) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Formats (if blank), mounts and binds, as planned; what is in place already is left alone. */
export async function prepareDataDisk(plan: DataDiskPlan, options: DataDiskOptions): Promise<DataDiskReport> {
  const tools = options.tools ?? commandTools;
  const readMounts = options.mounts ?? (() => parseMountinfo(Deno.readTextFileSync("/proc/self/mountinfo")));
  const report: DataDiskReport = { formatted: false, mounted: false, bound: [] };
  await waitForDevice(plan.device, options.waitMs ?? 10_000);
  const disk = deviceNumber(plan.device);
  const mountPoint = under(options.root, plan.mountPoint);

  const onMountPoint = readMounts().get(mountPoint);
  if (onMountPoint !== undefined && onMountPoint !== disk) {
    throw new EnvironmentError(`${plan.mountPoint} is already a mount of another device (${onMountPoint})`);
  }
  if (onMountPoint === undefined) {
    const found = await probe(plan.device, tools);
    if (found === "blank") {
      await must(tools, ["mkfs.ext4", "-q", "-L", plan.label, plan.device], `formatting data disk ${plan.device}`);
      report.formatted = true;
    } else {
      const foreign = foreignContent(found, plan.label);
      if (foreign) {
        throw new EnvironmentError(
          `data disk ${plan.device} holds ${foreign}; boot formats only blank disks and mounts only ext4 labelled ${plan.label}`,
          `if nothing on it is needed, erase it with: wipefs -a ${plan.device}`,
        );
      }
    }
    Deno.mkdirSync(mountPoint, { recursive: true });
    await must(tools, ["mount", "-t", "ext4", "-o", "noatime", plan.device, mountPoint], `mounting ${plan.device}`);
    report.mounted = true;
  }

  const mounts = readMounts();
  for (const bind of plan.binds) {
    const source = under(options.root, bind.source);
    const target = under(options.root, bind.target);
    const onTarget = mounts.get(target);
    if (onTarget === disk) continue;
    if (onTarget !== undefined) {
      throw new EnvironmentError(`${bind.target} is already a mount of another device (${onTarget})`);
    }
    Deno.mkdirSync(target, { recursive: true });
    if (!exists(source)) await seed(source, target, tools);
    await must(tools, ["mount", "--bind", source, target], `binding ${bind.target} onto the data disk`);
    report.bound.push(bind.target);
  }
  return report;
}

/**
 * A state directory's first copy on the disk: what the image holds there, with its owner and mode, copied beside
 * and renamed into place so an interrupted copy is redone rather than taken as done.
 */
async function seed(source: string, target: string, tools: Tools): Promise<void> {
  const partial = `${source}.partial`;
  try {
    Deno.removeSync(partial, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await must(tools, ["cp", "-a", "--", target, partial], `copying ${target} onto the data disk`);
  Deno.renameSync(partial, source);
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
