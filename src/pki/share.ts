/**
 * A node's share of the secrets: which files of the secrets directory each role needs, and where its daemons read
 * them. Pure. A worker gets the cluster CA certificate and its own kubeconfig, never a CA key or an etcd key.
 *
 * @example
 * ```ts
 * nodeShare(config, node).map((f) => f.path); // ["/etc/kubernetes/kubelet.conf", "/etc/kubernetes/pki/ca.crt"]
 * ```
 * @module
 */
import type { Config, Node } from "../config/model.ts";
import { isMaster } from "../services/roles.ts";
import { BOOTSTRAP_TOKEN_PATH, ETCD_PATHS, KUBERNETES_PATHS as K } from "../services/kubernetes_paths.ts";
import { CEPH_PATHS } from "../services/ceph_conf.ts";
import { BRIDGE_CONF, BRIDGE_USER, bridgeConfig, bridging, hub } from "../services/mqtt_bridges.ts";
import { KAFKA_PATHS } from "../services/kafka.ts";
import { MOSQUITTO_PATHS } from "../services/mosquitto.ts";
import { COREDNS_KUBECONFIG } from "../services/coredns.ts";

/** A file of the secrets directory: `<item>/<file>`. */
export interface SecretRef {
  item: string;
  file: string;
}

/** A file the node gets: the concatenation of `sources` (or `compose` of them), at `path`, with owner and mode. */
export interface ShareFile {
  path: string;
  sources: SecretRef[];
  /** Builds the file from the sources' texts, for files that are configuration holding a secret. */
  compose?: (parts: string[]) => string;
  mode: number;
  owner?: string;
  /** Whether the content is key material (certificates alone are not, but are installed the same careful way). */
  secret: boolean;
  restarts: string[];
}

const ref = (item: string, file: string): SecretRef => ({ item, file });

function file(path: string, sources: SecretRef[], restarts: string[], extra: Partial<ShareFile> = {}): ShareFile {
  const secret = !path.endsWith(".crt") && !path.endsWith(".pub");
  return { path, sources, mode: secret ? 0o600 : 0o644, secret, restarts, ...extra };
}

const APISERVER = ["kube-apiserver.service"];
const CONTROLLER_MANAGER = ["kube-controller-manager.service"];

/** Every secret file node `node` gets. */
export function nodeShare(config: Config, node: Node): ShareFile[] {
  const files: ShareFile[] = [];
  const roles = node.roles;
  const kubernetesNode = isMaster(roles) || roles.includes("worker");
  if (config.services.kubernetes && kubernetesNode) {
    files.push(
      file(K.ca, [ref("kubernetes-ca", "ca.crt")], ["kubelet.service", ...(isMaster(roles) ? APISERVER : [])]),
      file(K.kubeletConf, [ref(`kubelet-${node.name}`, "kubeconfig")], ["kubelet.service"]),
    );
  }
  if (config.services.kubernetes && isMaster(roles)) {
    const leaf = (name: string, item: string, restarts: string[]) => [
      file(`/etc/kubernetes/pki/${name}.crt`, [ref(item, "tls.crt")], restarts),
      file(`/etc/kubernetes/pki/${name}.key`, [ref(item, "tls.key")], restarts),
    ];
    const etcd = { owner: "etcd" };
    files.push(
      // The controller manager signs kubelet and other certificates with the cluster CA.
      file(K.caKey, [ref("kubernetes-ca", "ca.key")], CONTROLLER_MANAGER),
      ...leaf("apiserver", "apiserver", APISERVER),
      ...leaf("apiserver-kubelet-client", "apiserver-kubelet-client", APISERVER),
      ...leaf("apiserver-etcd-client", "apiserver-etcd-client", APISERVER),
      ...leaf("front-proxy-client", "front-proxy-client", APISERVER),
      file(K.frontProxyCa, [ref("front-proxy-ca", "ca.crt")], APISERVER),
      file(K.serviceAccountKey, [ref("service-account", "key.pem")], [...APISERVER, ...CONTROLLER_MANAGER]),
      file(K.serviceAccountPub, [ref("service-account", "pub.pem")], APISERVER),
      file(ETCD_PATHS.ca, [ref("etcd-ca", "ca.crt")], ["etcd.service", ...APISERVER]),
      file(ETCD_PATHS.serverCert, [ref(`etcd-server-${node.name}`, "tls.crt")], ["etcd.service"], etcd),
      file(ETCD_PATHS.serverKey, [ref(`etcd-server-${node.name}`, "tls.key")], ["etcd.service"], etcd),
      file(ETCD_PATHS.peerCert, [ref(`etcd-peer-${node.name}`, "tls.crt")], ["etcd.service"], etcd),
      file(ETCD_PATHS.peerKey, [ref(`etcd-peer-${node.name}`, "tls.key")], ["etcd.service"], etcd),
      file(K.adminConf, [ref("admin", "kubeconfig")], []),
      file(K.controllerManagerConf, [ref("controller-manager", "kubeconfig")], CONTROLLER_MANAGER),
      file(K.schedulerConf, [ref("scheduler", "kubeconfig")], ["kube-scheduler.service"]),
      file(BOOTSTRAP_TOKEN_PATH, [ref("bootstrap-token", "token")], []),
    );
  }
  if (config.services.dns?.kubernetesZone && config.services.kubernetes && roles.includes("dns-server")) {
    files.push(file(COREDNS_KUBECONFIG, [ref("coredns", "kubeconfig")], ["coredns.service"], { owner: "coredns" }));
  }
  if (config.services.ceph && roles.includes("ceph-mon")) {
    const mon = [`ceph-mon@${node.hostname}.service`];
    files.push(
      file(CEPH_PATHS.adminKeyring, [ref("ceph-admin", "keyring")], [], { owner: "ceph" }),
      // The monitor's first start (mkfs) takes every key the cluster starts with from one keyring: its own, the
      // admin's, and the one OSD preparation logs in with.
      file(
        CEPH_PATHS.monKeyring,
        [ref("ceph-mon", "keyring"), ref("ceph-admin", "keyring"), ref("ceph-bootstrap-osd", "keyring")],
        mon,
        { owner: "ceph" },
      ),
    );
  }
  if (config.services.ceph && roles.includes("ceph-osd")) {
    files.push(file(CEPH_PATHS.bootstrapOsdKeyring, [ref("ceph-bootstrap-osd", "keyring")], [], { owner: "ceph" }));
  }
  if (config.services.mqtt && roles.includes("mqtt-broker")) {
    const mosquitto = ["mosquitto.service"];
    files.push(file(MOSQUITTO_PATHS.passwords, [ref("mqtt-passwd", "passwd")], mosquitto, { owner: "mosquitto" }));
    if (bridging(config) && hub(config).name !== node.name) {
      files.push(file(BRIDGE_CONF, [ref(`mqtt-user-${BRIDGE_USER}`, "password")], mosquitto, {
        owner: "mosquitto",
        compose: ([password]) => bridgeConfig(config, node, password.trim()),
      }));
    }
    if (config.services.mqtt.tlsPort !== undefined) {
      const owner = { owner: "mosquitto" };
      files.push(
        file(MOSQUITTO_PATHS.tlsCa, [ref("mqtt-ca", "ca.crt")], mosquitto, owner),
        file(MOSQUITTO_PATHS.tlsCert, [ref(`mqtt-${node.name}`, "tls.crt")], mosquitto, owner),
        file(MOSQUITTO_PATHS.tlsKey, [ref(`mqtt-${node.name}`, "tls.key")], mosquitto, owner),
      );
    }
  }
  if (config.services.kafka && roles.includes("kafka-broker")) {
    const kafka = ["kafka.service"];
    const owner = { owner: "kafka" };
    if (config.services.kafka.tls) {
      files.push(
        file(KAFKA_PATHS.tlsTrustStore, [ref("kafka-ca", "ca.crt")], kafka, owner),
        // Kafka's PEM key store: the key and its certificate in one file.
        file(
          KAFKA_PATHS.tlsKeyStore,
          [ref(`kafka-${node.name}`, "tls.key"), ref(`kafka-${node.name}`, "tls.crt")],
          kafka,
          owner,
        ),
      );
    }
    for (const user of config.services.kafka.scramUsers ?? []) {
      files.push(file(`${KAFKA_PATHS.scramDir}/${user}`, [ref(`kafka-user-${user}`, "password")], kafka, owner));
    }
  }
  return files;
}

/** Values from the secrets directory that rendering needs (not installed as files): the Ceph fsid, Kafka's id. */
export function valueRefs(config: Config, node: Node): SecretRef[] {
  const refs: SecretRef[] = [];
  if (config.services.ceph && node.roles.some((r) => r === "ceph-mon" || r === "ceph-osd")) {
    refs.push(ref("ceph-fsid", "value"));
  }
  if (config.services.kafka && node.roles.includes("kafka-broker")) refs.push(ref("kafka-cluster-id", "value"));
  return refs;
}

/** Every file of the secrets directory the node needs, each once. */
export function shareRefs(config: Config, node: Node): SecretRef[] {
  const all = [...nodeShare(config, node).flatMap((f) => f.sources), ...valueRefs(config, node)];
  const seen = new Map(all.map((r) => [`${r.item}/${r.file}`, r]));
  return [...seen.values()];
}
