/**
 * /etc/ceph/ceph.conf, shared by monitors and OSDs: the monitors' addresses and the public network.
 *
 * @module
 */
import type { Config } from "../config/model.ts";
import type { PlannedFile } from "../plan/types.ts";
import { configFile, header, type RenderContext, standardSources } from "./render.ts";

export const CEPH_CONF = "/etc/ceph/ceph.conf";

/** Keyrings boot installs from the secrets directory. */
export const CEPH_PATHS = {
  adminKeyring: "/etc/ceph/ceph.client.admin.keyring",
  monKeyring: "/etc/ceph/ceph.mon.keyring",
  bootstrapOsdKeyring: "/var/lib/ceph/bootstrap-osd/ceph.keyring",
} as const;

/** The monitor nodes, in cluster.yaml order. */
export function monitors(config: Config) {
  return config.cluster.nodes.filter((n) => n.roles.includes("ceph-mon"));
}

/** ceph.conf for this node; `units` are this node's Ceph units, restarted when it changes. */
export function cephConf(ctx: RenderContext, units: readonly string[]): PlannedFile {
  const ceph = ctx.config.services.ceph!;
  const mons = monitors(ctx.config);
  const fsid = ctx.ids.cephFsid;
  const lines = [
    "[global]",
    ...(fsid ? [`fsid = ${fsid}`] : []),
    `mon_initial_members = ${mons.map((m) => m.hostname).join(", ")}`,
    `mon_host = ${mons.map((m) => `[v2:${m.ip}:3300,v1:${m.ip}:6789]`).join(", ")}`,
    `public_network = ${ctx.config.cluster.network.cidr}`,
    "auth_cluster_required = cephx",
    "auth_service_required = cephx",
    "auth_client_required = cephx",
    "auth_allow_insecure_global_id_reclaim = false",
    `osd_pool_default_size = ${ceph.poolSize}`,
    `osd_pool_default_min_size = ${ceph.poolMinSize}`,
    "",
  ];
  return configFile(CEPH_CONF, header(standardSources("ceph", ctx.node)) + lines.join("\n"), units);
}
