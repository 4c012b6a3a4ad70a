/**
 * The systemd units of units/, embedded in the executable so boot can install and repair them.
 *
 * @module
 */
import containerd from "../../units/containerd.service" with { type: "text" };
import etcd from "../../units/etcd.service" with { type: "text" };
import kubeApiserver from "../../units/kube-apiserver.service" with { type: "text" };
import kubeControllerManager from "../../units/kube-controller-manager.service" with { type: "text" };
import kubeScheduler from "../../units/kube-scheduler.service" with { type: "text" };
import kubelet from "../../units/kubelet.service" with { type: "text" };
import kafka from "../../units/kafka.service" with { type: "text" };
import cephMon from "../../units/ceph-mon@.service" with { type: "text" };
import cephOsd from "../../units/ceph-osd@.service" with { type: "text" };
import mosquitto from "../../units/mosquitto.service" with { type: "text" };
import coredns from "../../units/coredns.service" with { type: "text" };
import kubernetesMaster from "../../units/kubernetes-master.target" with { type: "text" };
import kubernetesWorker from "../../units/kubernetes-worker.target" with { type: "text" };
import kafkaTarget from "../../units/kafka.target" with { type: "text" };
import cephMonTarget from "../../units/ceph-mon.target" with { type: "text" };
import cephOsdTarget from "../../units/ceph-osd.target" with { type: "text" };
import mqttTarget from "../../units/mqtt.target" with { type: "text" };
import dnsTarget from "../../units/dns.target" with { type: "text" };
import clusterDetect from "../../units/cluster-detect.service" with { type: "text" };
import clusterAddons from "../../units/cluster-addons.service" with { type: "text" };
import { UNIT_DIR } from "./paths.ts";
import type { PlannedFile } from "./types.ts";

/** Unit file name → content. */
export const UNITS: Readonly<Record<string, string>> = {
  "containerd.service": containerd,
  "etcd.service": etcd,
  "kube-apiserver.service": kubeApiserver,
  "kube-controller-manager.service": kubeControllerManager,
  "kube-scheduler.service": kubeScheduler,
  "kubelet.service": kubelet,
  "kafka.service": kafka,
  "ceph-mon@.service": cephMon,
  "ceph-osd@.service": cephOsd,
  "mosquitto.service": mosquitto,
  "coredns.service": coredns,
  "kubernetes-master.target": kubernetesMaster,
  "kubernetes-worker.target": kubernetesWorker,
  "kafka.target": kafkaTarget,
  "ceph-mon.target": cephMonTarget,
  "ceph-osd.target": cephOsdTarget,
  "mqtt.target": mqttTarget,
  "dns.target": dnsTarget,
  "cluster-detect.service": clusterDetect,
  "cluster-addons.service": clusterAddons,
};

/** Every unit as a planned file under /etc/systemd/system. */
export function unitFiles(): PlannedFile[] {
  return Object.entries(UNITS).map(([name, content]) => ({
    kind: "file",
    path: `${UNIT_DIR}/${name}`,
    content,
    mode: 0o644,
  }));
}
