/**
 * Ceph monitor: one `ceph-mon@<hostname>` instance per ceph-mon node.
 *
 * @module
 */
import { CEPH_CONF, CEPH_PATHS, cephConf } from "./ceph_conf.ts";
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";

export const cephMon: Daemon = {
  name: "ceph-mon",
  unit: "ceph-mon@.service",
  dataDirs: ["/var/lib/ceph"],
  units: (node) => [`ceph-mon@${node.hostname}.service`],
  requires: () => [CEPH_CONF, CEPH_PATHS.monKeyring, CEPH_PATHS.adminKeyring],
  render(ctx) {
    const units = this.units(ctx.node);
    const vars = { ...nodeVars(ctx), CLUSTER: "ceph", MON_ID: ctx.node.hostname };
    return [envFile("ceph-mon", standardSources("ceph", ctx.node), vars, units), cephConf(ctx, units)];
  },
};
