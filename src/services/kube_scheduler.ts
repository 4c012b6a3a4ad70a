/**
 * kube-scheduler: talks to the API server through its own kubeconfig, with leader election among masters.
 *
 * @module
 */
import { type Daemon, envFile, nodeVars, standardSources } from "./render.ts";
import { flags, KUBERNETES_PATHS as K } from "./kubernetes_paths.ts";

export const kubeScheduler: Daemon = {
  name: "kube-scheduler",
  unit: "kube-scheduler.service",
  dataDirs: [],
  units: () => ["kube-scheduler.service"],
  requires: () => [K.schedulerConf],
  render(ctx) {
    const args = flags({
      "kubeconfig": K.schedulerConf,
      "authentication-kubeconfig": K.schedulerConf,
      "authorization-kubeconfig": K.schedulerConf,
      "bind-address": "127.0.0.1",
      "leader-elect": true,
    });
    const vars = { ...nodeVars(ctx), KUBE_SCHEDULER_ARGS: args };
    return [envFile("kube-scheduler", standardSources("kubernetes", ctx.node), vars, this.units(ctx.node))];
  },
};
