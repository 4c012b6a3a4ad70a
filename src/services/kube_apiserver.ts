/**
 * kube-apiserver: its flags in KUBE_APISERVER_ARGS, against every master's etcd, with Node and RBAC authorization.
 *
 * @module
 */
import { nthAddress } from "../net/ipv4.ts";
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";
import { ETCD_PATHS, flags, KUBERNETES_PATHS as K, masters } from "./kubernetes_paths.ts";

export const kubeApiserver: Daemon = {
  name: "kube-apiserver",
  unit: "kube-apiserver.service",
  dataDirs: [],
  units: () => ["kube-apiserver.service"],
  requires: () => [
    K.ca,
    K.apiserverCert,
    K.apiserverKey,
    K.apiserverKubeletClientCert,
    K.apiserverKubeletClientKey,
    K.apiserverEtcdClientCert,
    K.apiserverEtcdClientKey,
    K.frontProxyCa,
    K.frontProxyClientCert,
    K.frontProxyClientKey,
    K.serviceAccountKey,
    K.serviceAccountPub,
    ETCD_PATHS.ca,
  ],
  render(ctx) {
    const kubernetes = ctx.config.services.kubernetes!;
    const network = ctx.config.cluster.network;
    const etcdServers = masters(ctx.config).map((m) => `https://${m.ip}:${kubernetes.etcd.clientPort}`);
    const args = flags({
      "advertise-address": ctx.node.ip,
      "secure-port": kubernetes.apiServer.port,
      "etcd-servers": etcdServers.join(","),
      "etcd-cafile": ETCD_PATHS.ca,
      "etcd-certfile": K.apiserverEtcdClientCert,
      "etcd-keyfile": K.apiserverEtcdClientKey,
      "service-cluster-ip-range": network.serviceCidr,
      "tls-cert-file": K.apiserverCert,
      "tls-private-key-file": K.apiserverKey,
      "client-ca-file": K.ca,
      "kubelet-client-certificate": K.apiserverKubeletClientCert,
      "kubelet-client-key": K.apiserverKubeletClientKey,
      "kubelet-preferred-address-types": "InternalIP,Hostname",
      "service-account-issuer": `https://kubernetes.default.svc.${kubernetes.clusterDomain}`,
      "service-account-key-file": K.serviceAccountPub,
      "service-account-signing-key-file": K.serviceAccountKey,
      "authorization-mode": "Node,RBAC",
      "enable-admission-plugins": (kubernetes.apiServer.admissionPlugins ?? ["NodeRestriction"]).join(","),
      "enable-bootstrap-token-auth": true,
      "allow-privileged": true,
      "requestheader-client-ca-file": K.frontProxyCa,
      "requestheader-allowed-names": "front-proxy-client",
      "requestheader-username-headers": "X-Remote-User",
      "requestheader-group-headers": "X-Remote-Group",
      "requestheader-extra-headers-prefix": "X-Remote-Extra-",
      "proxy-client-cert-file": K.frontProxyClientCert,
      "proxy-client-key-file": K.frontProxyClientKey,
    });
    const vars = {
      ...nodeVars(ctx),
      KUBERNETES_SERVICE_IP: nthAddress(network.serviceCidr, 1),
      KUBE_APISERVER_ARGS: args,
    };
    return [envFile("kube-apiserver", standardSources("kubernetes", ctx.node), vars, this.units(ctx.node))];
  },
};
