/**
 * Bridges between MQTT brokers, when mqtt.yaml asks for them: a star, every other broker bridged to the first (the
 * hub), each topic both ways. A star cannot loop a message (a mesh of three can), and `try_private` keeps the hub
 * from sending a bridged message back where it came from. Bridges log in as the user `bridge`, whose password
 * `clusterboot pki init` makes.
 *
 * @module
 */
import type { Config, NodeEntry } from "../config/model.ts";

/** The user bridges log in as. */
export const BRIDGE_USER = "bridge";
/** Where a spoke's bridge connection lives (it holds the bridge password: 0600, owned by mosquitto). */
export const BRIDGE_CONF = "/etc/mosquitto/conf.d/bridge.conf";

export function mqttBrokers(config: Config): NodeEntry[] {
  return config.cluster.nodes.filter((n) => n.roles.includes("mqtt-broker"));
}

/** Whether the cluster bridges its brokers: asked for, and more than one broker. */
export function bridging(config: Config): boolean {
  return Boolean(config.services.mqtt?.bridges) && mqttBrokers(config).length > 1;
}

/** The hub every other broker bridges to. */
export function hub(config: Config): NodeEntry {
  return mqttBrokers(config)[0];
}

/** The bridge section of a spoke, to the hub (over TLS when the brokers have a TLS listener). */
export function bridgeConfig(config: Config, spoke: NodeEntry, password: string): string {
  const mqtt = config.services.mqtt!;
  const target = hub(config);
  const tls = mqtt.tlsPort !== undefined;
  return [
    `# bridge from ${spoke.name} to the hub ${target.name}, written by clusterboot boot; edits are overwritten`,
    `connection ${spoke.name}-to-${target.name}`,
    `address ${target.ip}:${tls ? mqtt.tlsPort : mqtt.port}`,
    `remote_clientid bridge-${spoke.name}`,
    `remote_username ${BRIDGE_USER}`,
    `remote_password ${password}`,
    ...(tls ? ["bridge_cafile /etc/mosquitto/tls/ca.crt"] : []),
    "topic # both 0",
    "try_private true",
    "cleansession true",
    "",
  ].join("\n");
}
