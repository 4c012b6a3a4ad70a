/**
 * kube-controller-manager: signs cluster certificates with the cluster CA and allocates pod CIDRs to nodes.
 *
 * @module
 */
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";
import { flags, KUBERNETES_PATHS as K } from "./kubernetes_paths.ts";

export const kubeControllerManager: Daemon = {
  name: "kube-controller-manager",
  unit: "kube-controller-manager.service",
  dataDirs: [],
  units: () => ["kube-controller-manager.service"],
  requires: () => [K.controllerManagerConf, K.ca, K.caKey, K.serviceAccountKey],
  render(ctx) {
    const network = ctx.config.cluster.network;
    const args = flags({
      "kubeconfig": K.controllerManagerConf,
      "authentication-kubeconfig": K.controllerManagerConf,
      "authorization-kubeconfig": K.controllerManagerConf,
      "bind-address": "127.0.0.1",
      "leader-elect": true,
      "cluster-name": ctx.config.cluster.name,
      // Each node's pod subnet is fixed by clusterboot (see pod_network.ts), not handed out in join order.
      "allocate-node-cidrs": false,
      "cluster-cidr": network.podCidr,
      "service-cluster-ip-range": network.serviceCidr,
      "cluster-signing-cert-file": K.ca,
      "cluster-signing-key-file": K.caKey,
      "root-ca-file": K.ca,
      "service-account-private-key-file": K.serviceAccountKey,
      "use-service-account-credentials": true,
      "controllers": "*,bootstrapsigner,tokencleaner",
    });
    const vars = { ...nodeVars(ctx), KUBE_CONTROLLER_MANAGER_ARGS: args };
    return [envFile("kube-controller-manager", standardSources("kubernetes", ctx.node), vars, this.units(ctx.node))];
  },
};
