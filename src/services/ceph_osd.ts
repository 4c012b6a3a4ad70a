/**
 * Ceph OSDs: one `ceph-osd@<id>` instance per device in the node file; ids are cluster-wide and stable.
 *
 * @module
 */
import { CEPH_CONF, CEPH_PATHS, cephConf } from "./ceph_conf.ts";
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";

export const cephOsd: Daemon = {
  name: "ceph-osd",
  unit: "ceph-osd@.service",
  dataDirs: ["/var/lib/ceph"],
  units: (node) => (node.file.ceph?.osds ?? []).map((osd) => `ceph-osd@${osd.id}.service`),
  requires: () => [CEPH_CONF, CEPH_PATHS.bootstrapOsdKeyring],
  render(ctx) {
    const units = this.units(ctx.node);
    const osds = ctx.node.file.ceph?.osds ?? [];
    const vars: Record<string, string | number> = {
      ...nodeVars(ctx),
      CLUSTER: "ceph",
      OSD_IDS: osds.map((o) => o.id).join(" "),
    };
    for (const osd of osds) vars[`OSD_${osd.id}_DEVICE`] = osd.device;
    return [envFile("ceph-osd", standardSources("ceph", ctx.node), vars, units), cephConf(ctx, units)];
  },
};
