/**
 * containerd: config.toml (version 2) with the CRI plugin's sandbox image and cgroup driver from kubernetes.yaml.
 *
 * @module
 */
import template from "../../templates/containerd.toml.tmpl" with { type: "text" };
import { configFile, type Daemon, envFile, fill, header, nodeVars, standardSources } from "./render.ts";

const CONFIG = "/etc/containerd/config.toml";

export const containerd: Daemon = {
  name: "containerd",
  unit: "containerd.service",
  units: () => ["containerd.service"],
  render(ctx) {
    const kubernetes = ctx.config.services.kubernetes!;
    const sources = standardSources("kubernetes", ctx.node);
    const toml = fill(template, {
      sandboxImage: kubernetes.sandboxImage,
      systemdCgroup: kubernetes.cgroupDriver === "systemd",
    });
    return [
      envFile("containerd", sources, { ...nodeVars(ctx), CONTAINERD_CONFIG: CONFIG }, this.units(ctx.node)),
      configFile(CONFIG, header(sources) + toml, this.units(ctx.node)),
    ];
  },
};
