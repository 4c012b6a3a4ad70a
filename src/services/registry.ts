/**
 * Every daemon by name: the one place that knows which module renders which daemon.
 *
 * @module
 */
import type { DaemonName } from "./roles.ts";
import type { Daemon } from "./render.ts";
import { containerd } from "./containerd.ts";
import { etcd } from "./etcd.ts";
import { kubeApiserver } from "./kube_apiserver.ts";
import { kubeControllerManager } from "./kube_controller_manager.ts";
import { kubeScheduler } from "./kube_scheduler.ts";
import { kubelet } from "./kubelet.ts";
import { kafka } from "./kafka.ts";
import { cephMon } from "./ceph_mon.ts";
import { cephOsd } from "./ceph_osd.ts";
import { mosquitto } from "./mosquitto.ts";
import { coredns } from "./coredns.ts";

export const DAEMONS: Readonly<Record<DaemonName, Daemon>> = {
  "containerd": containerd,
  "etcd": etcd,
  "kube-apiserver": kubeApiserver,
  "kube-controller-manager": kubeControllerManager,
  "kube-scheduler": kubeScheduler,
  "kubelet": kubelet,
  "kafka": kafka,
  "ceph-mon": cephMon,
  "ceph-osd": cephOsd,
  "mosquitto": mosquitto,
  "coredns": coredns,
};
