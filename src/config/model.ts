/**
 * The shape of a loaded cluster configuration. Types come from the schema (type-only imports, so nothing of zod is
 * loaded at run time); the constants here are shared by the schema, the role table and the planner.
 *
 * @module
 */
import type * as z from "zod/mini";
import type { SeenFile } from "../text/bytes.ts";
import type {
  CEPH_FILE,
  CLUSTER_FILE,
  DNS_FILE,
  KAFKA_FILE,
  KUBERNETES_FILE,
  MQTT_FILE,
  NODE_ENTRY,
  NODE_FILE,
} from "./schema.ts";

/** The schema version every config file declares as `apiVersion`. */
export const API_VERSION = "clusterboot/v1";

/** Roles a node may carry in cluster.yaml. `control-plane` is another name for `master`. */
export const ROLE_NAMES = [
  "master",
  "control-plane",
  "worker",
  "kafka-broker",
  "ceph-mon",
  "ceph-osd",
  "mqtt-broker",
  "dns-server",
] as const;

/** Cluster-wide services that cluster.yaml enables, each configured by services/<name>.yaml. */
export const SERVICE_NAMES = ["kubernetes", "ceph", "kafka", "mqtt", "dns"] as const;

/** The kinds of config file, each with its own schema: cluster.yaml, nodes/*.yaml, and services/<service>.yaml. */
export const FILE_KINDS = ["cluster", "node", ...SERVICE_NAMES] as const;

export type Role = typeof ROLE_NAMES[number];
export type ServiceName = typeof SERVICE_NAMES[number];
export type FileKind = typeof FILE_KINDS[number];

export type ClusterFile = z.infer<typeof CLUSTER_FILE>;
export type NodeEntry = z.infer<typeof NODE_ENTRY>;
export type NodeFile = z.infer<typeof NODE_FILE>;
export type KubernetesFile = z.infer<typeof KUBERNETES_FILE>;
export type CephFile = z.infer<typeof CEPH_FILE>;
export type KafkaFile = z.infer<typeof KAFKA_FILE>;
export type MqttFile = z.infer<typeof MQTT_FILE>;
export type DnsFile = z.infer<typeof DNS_FILE>;

/** The parsed, validated content of every service file, present for each enabled service. */
export interface ServiceFiles {
  kubernetes?: KubernetesFile;
  ceph?: CephFile;
  kafka?: KafkaFile;
  mqtt?: MqttFile;
  dns?: DnsFile;
}

/** A validated cluster configuration: cluster.yaml, the service files and one file per node. */
export interface Config {
  cluster: ClusterFile;
  services: ServiceFiles;
  /** Node files by node name. */
  nodes: Record<string, NodeFile>;
}

/** The config files as read from disk, by path relative to the config directory (`nodes/master-01.yaml`). */
export type SourceFiles = Map<string, Uint8Array>;

/** A configuration together with the bytes it was read from (copied verbatim onto the node). */
export interface LoadedConfig {
  dir: string;
  config: Config;
  sources: SourceFiles;
  /** One SHA-256 digest over every source file, recorded with each generation. */
  digest: string;
  /** The compiled snapshot's text, when the configuration came from it: planned back as it is, not encoded anew. */
  snapshot?: string;
  /**
   * The files loading looked at and read, by the path it read them at (the configuration's own files and the
   * snapshot; no symbolic link): what the look found and their content. Boot plans these files back as this content
   * and compares them with it, without a second look or read.
   */
  seen?: ReadonlyMap<string, SeenFile>;
}

/** The config file `name` as loading read it: its text where it was seen as text, else its bytes. */
export function sourceContent(
  loaded: Pick<LoadedConfig, "dir" | "sources" | "seen">,
  name: string,
): string | Uint8Array {
  return loaded.seen?.get(`${loaded.dir}/${name}`)?.content ?? loaded.sources.get(name)!;
}

/** A node as the planner sees it: its cluster.yaml entry and its node file. */
export interface Node extends NodeEntry {
  file: NodeFile;
}

/** Looks a node up by name, joining its cluster.yaml entry with its node file. */
export function nodeByName(config: Config, name: string): Node | undefined {
  const entry = config.cluster.nodes.find((node) => node.name === name);
  const file = config.nodes[name];
  return entry && file ? { ...entry, file } : undefined;
}
