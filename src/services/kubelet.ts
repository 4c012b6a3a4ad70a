/**
 * kubelet: a KubeletConfiguration (cluster DNS from the dns-server nodes, cluster domain, cgroup driver, taints) and
 * the flags that have no config field (node IP, labels, kubeconfig).
 *
 * @module
 */
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";
import { flags, KUBERNETES_PATHS as K } from "./kubernetes_paths.ts";
import { toYaml } from "./yaml_text.ts";

export const kubelet: Daemon = {
  name: "kubelet",
  unit: "kubelet.service",
  dataDirs: ["/var/lib/kubelet"],
  units: () => ["kubelet.service"],
  requires: () => [K.kubeletConf, K.ca],
  render(ctx) {
    const kubernetes = ctx.config.services.kubernetes!;
    const { node } = ctx;
    const dnsServers = ctx.config.cluster.nodes.filter((n) => n.roles.includes("dns-server")).map((n) => n.ip);
    const sources = standardSources("kubernetes", node);
    const config = toYaml({
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: K.ca },
      },
      authorization: { mode: "Webhook" },
      cgroupDriver: kubernetes.cgroupDriver,
      clusterDomain: kubernetes.clusterDomain,
      clusterDNS: dnsServers,
      containerRuntimeEndpoint: K.containerdSocket,
      maxPods: kubernetes.kubelet?.maxPods ?? 110,
      registerWithTaints: (node.file.taints ?? []).map((t) => ({
        key: t.key,
        ...(t.value !== undefined ? { value: t.value } : {}),
        effect: t.effect,
      })),
      rotateCertificates: false,
      serverTLSBootstrap: false,
    });
    const labels = Object.entries(node.file.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
    const args = flags({
      "config": K.kubeletConfig,
      "kubeconfig": K.kubeletConf,
      "node-ip": node.ip,
      "hostname-override": node.hostname,
      ...(labels ? { "node-labels": labels } : {}),
    });
    return [
      envFile("kubelet", sources, { ...nodeVars(ctx), KUBELET_ARGS: args }, this.units(node)),
      configFile(K.kubeletConfig, header(sources) + config, this.units(node)),
    ];
  },
};
