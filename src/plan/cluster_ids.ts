/**
 * The cluster's ids — the Ceph fsid and the KRaft cluster id — as boot records them on the node. `pki init` makes
 * them (they are not secret); boot takes them from the secrets directory and writes them here, so `render`, run
 * by a unit long after boot, renders exactly what boot did without needing the secrets directory.
 *
 * @example
 * ```ts
 * parseClusterIds(formatClusterIds({ cephFsid: "…" }));
 * ```
 * @module
 */
import { CONFIG_DIR } from "./paths.ts";
import { asText } from "../text/bytes.ts";

export const CLUSTER_IDS = `${CONFIG_DIR}/cluster-ids`;

export interface ClusterIds {
  cephFsid?: string;
  kafkaClusterId?: string;
}

const KEYS = { cephFsid: "CEPH_FSID", kafkaClusterId: "KAFKA_CLUSTER_ID" } as const;

/** The file's content; empty when there are no ids. */
export function formatClusterIds(ids: ClusterIds): string {
  return (Object.keys(KEYS) as (keyof ClusterIds)[])
    .filter((k) => ids[k])
    .map((k) => `${KEYS[k]}=${ids[k]}\n`)
    .join("");
}

export function parseClusterIds(text: string): ClusterIds {
  const ids: ClusterIds = {};
  for (const line of text.split("\n")) {
    for (const [key, name] of Object.entries(KEYS) as [keyof ClusterIds, string][]) {
      if (line.startsWith(`${name}=`)) ids[key] = line.slice(name.length + 1).trim();
    }
  }
  return ids;
}

/** The ids in the secrets files boot read (`ceph-fsid/value`, `kafka-cluster-id/value`). */
export function idsFromSecrets(secrets: ReadonlyMap<string, string | Uint8Array>): ClusterIds {
  const text = (ref: string) => {
    const content = secrets.get(ref);
    return content === undefined ? undefined : asText(content).trim();
  };
  return { cephFsid: text("ceph-fsid/value"), kafkaClusterId: text("kafka-cluster-id/value") };
}
