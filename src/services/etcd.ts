/**
 * etcd: configured entirely through ETCD_* variables in its env file (etcd reads them natively). Every master is a
 * member; peers and clients speak TLS with the certificates `clusterboot pki` issues.
 *
 * @module
 */
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";
import { ETCD_PATHS, masters } from "./kubernetes_paths.ts";

export const etcd: Daemon = {
  name: "etcd",
  unit: "etcd.service",
  dataDirs: [ETCD_PATHS.dataDir],
  units: () => ["etcd.service"],
  requires: () => [ETCD_PATHS.ca, ETCD_PATHS.serverCert, ETCD_PATHS.serverKey, ETCD_PATHS.peerCert, ETCD_PATHS.peerKey],
  render(ctx) {
    const { clientPort, peerPort } = ctx.config.services.kubernetes!.etcd;
    const { node } = ctx;
    const peerUrl = (ip: string) => `https://${ip}:${peerPort}`;
    const vars = {
      ...nodeVars(ctx),
      ETCD_NAME: node.name,
      ETCD_DATA_DIR: ETCD_PATHS.dataDir,
      ETCD_LISTEN_PEER_URLS: peerUrl(node.ip),
      ETCD_LISTEN_CLIENT_URLS: `https://${node.ip}:${clientPort},https://127.0.0.1:${clientPort}`,
      ETCD_ADVERTISE_CLIENT_URLS: `https://${node.ip}:${clientPort}`,
      ETCD_INITIAL_ADVERTISE_PEER_URLS: peerUrl(node.ip),
      ETCD_INITIAL_CLUSTER: masters(ctx.config).map((m) => `${m.name}=${peerUrl(m.ip)}`).join(","),
      // `existing` once this member has data or the running cluster expects it (decided before rendering).
      ETCD_INITIAL_CLUSTER_STATE: ctx.observed?.etcdClusterState ?? "new",
      ETCD_INITIAL_CLUSTER_TOKEN: ctx.config.cluster.name,
      ETCD_CERT_FILE: ETCD_PATHS.serverCert,
      ETCD_KEY_FILE: ETCD_PATHS.serverKey,
      ETCD_TRUSTED_CA_FILE: ETCD_PATHS.ca,
      ETCD_CLIENT_CERT_AUTH: "true",
      ETCD_PEER_CERT_FILE: ETCD_PATHS.peerCert,
      ETCD_PEER_KEY_FILE: ETCD_PATHS.peerKey,
      ETCD_PEER_TRUSTED_CA_FILE: ETCD_PATHS.ca,
      ETCD_PEER_CLIENT_CERT_AUTH: "true",
      ETCD_LOGGER: "zap",
      ETCD_LOG_OUTPUTS: "stderr",
    };
    return [envFile("etcd", standardSources("kubernetes", node), vars, this.units(node))];
  },
};
