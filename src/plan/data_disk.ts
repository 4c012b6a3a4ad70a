/**
 * The node's data disk, planned: which device, where it is mounted, and which daemon state directories are bound
 * onto it. Pure; boot carries it out (src/apply/data_disk.ts) before it writes any file, so files planned under
 * those directories land on the disk.
 *
 * @example
 * ```ts
 * planDataDisk(node);
 * // { device: "/dev/vda", mountPoint: "/var/lib/clusterdata",
 * //   binds: [{ source: "/var/lib/clusterdata/etcd", target: "/var/lib/etcd" }, ...] }
 * ```
 * @module
 */
import type { Node } from "../config/model.ts";
import { DAEMONS } from "../services/registry.ts";
import { daemonsOf } from "../services/roles.ts";

/** Where the data disk is mounted; each bound directory is a subdirectory named after it. */
export const DATA_DISK_MOUNT = "/var/lib/clusterdata";
/** The filesystem label boot gives a disk it formats, and looks for before mounting one it did not. */
export const DATA_DISK_LABEL = "clusterdata";

export interface DataDiskBind {
  /** The directory on the disk, e.g. /var/lib/clusterdata/etcd. */
  source: string;
  /** The daemon's state directory it is bound over, e.g. /var/lib/etcd. */
  target: string;
}

export interface DataDiskPlan {
  device: string;
  mountPoint: string;
  label: string;
  binds: DataDiskBind[];
}

/** The data disk of a node that names one; undefined otherwise. */
export function planDataDisk(node: Node): DataDiskPlan | undefined {
  const device = node.file.dataDisk?.device;
  if (!device) return undefined;
  const targets = [...new Set(daemonsOf(node.roles).flatMap((name) => DAEMONS[name].dataDirs))].sort();
  return {
    device,
    mountPoint: DATA_DISK_MOUNT,
    label: DATA_DISK_LABEL,
    binds: targets.map((target) => ({ source: `${DATA_DISK_MOUNT}/${target.split("/").pop()}`, target })),
  };
}
