/**
 * Where Kubernetes and etcd key material and kubeconfigs live on a node (kubeadm's layout), shared by the
 * renderers that point daemons at them and by the PKI that puts them there.
 *
 * @module
 */
import type { Config, Node } from "../config/model.ts";
import { isMaster } from "./roles.ts";

const PKI = "/etc/kubernetes/pki";

export const KUBERNETES_PATHS = {
  ca: `${PKI}/ca.crt`,
  caKey: `${PKI}/ca.key`,
  apiserverCert: `${PKI}/apiserver.crt`,
  apiserverKey: `${PKI}/apiserver.key`,
  apiserverKubeletClientCert: `${PKI}/apiserver-kubelet-client.crt`,
  apiserverKubeletClientKey: `${PKI}/apiserver-kubelet-client.key`,
  apiserverEtcdClientCert: `${PKI}/apiserver-etcd-client.crt`,
  apiserverEtcdClientKey: `${PKI}/apiserver-etcd-client.key`,
  frontProxyCa: `${PKI}/front-proxy-ca.crt`,
  frontProxyClientCert: `${PKI}/front-proxy-client.crt`,
  frontProxyClientKey: `${PKI}/front-proxy-client.key`,
  serviceAccountKey: `${PKI}/sa.key`,
  serviceAccountPub: `${PKI}/sa.pub`,
  adminConf: "/etc/kubernetes/admin.conf",
  controllerManagerConf: "/etc/kubernetes/controller-manager.conf",
  schedulerConf: "/etc/kubernetes/scheduler.conf",
  kubeletConf: "/etc/kubernetes/kubelet.conf",
  kubeletConfig: "/var/lib/kubelet/config.yaml",
  containerdSocket: "unix:///run/containerd/containerd.sock",
} as const;

/** The bootstrap token `pki init` made, on masters, for `clusterboot addons`. */
export const BOOTSTRAP_TOKEN_PATH = "/etc/kubernetes/bootstrap-token";

export const ETCD_PATHS = {
  dataDir: "/var/lib/etcd",
  ca: "/etc/etcd/pki/ca.crt",
  serverCert: "/etc/etcd/pki/server.crt",
  serverKey: "/etc/etcd/pki/server.key",
  peerCert: "/etc/etcd/pki/peer.crt",
  peerKey: "/etc/etcd/pki/peer.key",
} as const;

/** The control-plane nodes, in cluster.yaml order: the etcd members and API servers. */
export function masters(config: Config): Node[] {
  return config.cluster.nodes.filter((n) => isMaster(n.roles)).map((n) => ({ ...n, file: config.nodes[n.name] }));
}

/** Renders `--flag=value` arguments, one string as systemd splits `$VAR` on whitespace. */
export function flags(values: Record<string, string | number | boolean>): string {
  return Object.entries(values).map(([key, value]) => `--${key}=${value}`).join(" ");
}
