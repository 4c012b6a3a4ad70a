/**
 * containerd: config.toml (version 2) with the CRI plugin's sandbox image and cgroup driver from kubernetes.yaml,
 * and the CNI configuration its CRI plugin reads: a bridge with this node's share of the pod network.
 *
 * @module
 */
import template from "../../templates/containerd.toml.tmpl" with { type: "text" };
import { configFile, type Daemon, envFile, fill, header, nodeVars, standardSources } from "./render.ts";
import { podSubnets } from "./pod_network.ts";

const CONFIG = "/etc/containerd/config.toml";
export const CNI_CONFIG = "/etc/cni/net.d/10-clusterboot.conflist";

export const containerd: Daemon = {
  name: "containerd",
  unit: "containerd.service",
  dataDirs: ["/var/lib/containerd"],
  units: () => ["containerd.service"],
  render(ctx) {
    const kubernetes = ctx.config.services.kubernetes!;
    const sources = standardSources("kubernetes", ctx.node);
    const toml = fill(template, {
      sandboxImage: kubernetes.sandboxImage,
      systemdCgroup: kubernetes.cgroupDriver === "systemd",
    });
    const cni = {
      cniVersion: "1.0.0",
      name: "clusterboot",
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: podSubnets(ctx.config).get(ctx.node.name)! }]],
            routes: [{ dst: "0.0.0.0/0" }],
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    };
    return [
      envFile("containerd", sources, { ...nodeVars(ctx), CONTAINERD_CONFIG: CONFIG }, this.units(ctx.node)),
      configFile(CONFIG, header(sources) + toml, this.units(ctx.node)),
      // JSON has no comments: the header is left out. The CRI plugin rereads this directory by itself.
      configFile(CNI_CONFIG, JSON.stringify(cni, null, 2) + "\n", []),
    ];
  },
};
