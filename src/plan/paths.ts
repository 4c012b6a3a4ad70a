/**
 * Where things live on a node. One table, so the planner, the services and the tests agree.
 *
 * @module
 */

/** The configuration baked into the image, and what boot generates beside it. */
export const CONFIG_DIR = "/etc/cluster-config";
/** `EnvironmentFile=` of each unit: `<dir>/<daemon>.env`. */
export const ENV_DIR = `${CONFIG_DIR}/environment`;
export const UNIT_DIR = "/etc/systemd/system";
export const NETWORK_DIR = "/etc/systemd/network";
/** The files the last boot managed, so files it no longer plans are removed. */
export const MANIFEST = "/var/lib/clusterboot/managed-files";
/** One directory per change boot or rollback made, holding the files as they were before it (for rollback). */
export const GENERATIONS_DIR = "/var/lib/clusterboot/generations";

/** The environment file of a daemon. */
export function envFilePath(daemon: string): string {
  return `${ENV_DIR}/${daemon}.env`;
}
