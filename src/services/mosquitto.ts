/**
 * Mosquitto: listeners on the node's address and loopback (and a TLS listener when mqtt.yaml has `tlsPort`), no
 * anonymous access unless mqtt.yaml allows it, the password file `clusterboot pki` makes, the ACL from mqtt.yaml,
 * persistence under /var/lib/mosquitto, and the bridge to the hub broker when bridges are asked for.
 *
 * @module
 */
import { configFile, type Daemon, envFile, header, nodeVars, type RenderContext, standardSources } from "./render.ts";
import { BRIDGE_CONF, BRIDGE_USER, bridging, hub } from "./mqtt_bridges.ts";

export const MOSQUITTO_PATHS = {
  config: "/etc/mosquitto/mosquitto.conf",
  passwords: "/etc/mosquitto/passwd",
  acl: "/etc/mosquitto/acl",
  data: "/var/lib/mosquitto/",
  tlsCa: "/etc/mosquitto/tls/ca.crt",
  tlsCert: "/etc/mosquitto/tls/server.crt",
  tlsKey: "/etc/mosquitto/tls/server.key",
} as const;

/** The ACL: each user's topics, and the bridge's access to everything it relays. */
export function aclText(ctx: RenderContext): string {
  const mqtt = ctx.config.services.mqtt!;
  const lines: string[] = [];
  for (const user of mqtt.users) {
    lines.push(`user ${user.name}`, ...user.acl.map((rule) => `topic ${rule.access} ${rule.topic}`), "");
  }
  if (bridging(ctx.config)) lines.push(`user ${BRIDGE_USER}`, "topic readwrite #", "");
  return lines.join("\n");
}

export const mosquitto: Daemon = {
  name: "mosquitto",
  unit: "mosquitto.service",
  dataDirs: ["/var/lib/mosquitto"],
  units: () => ["mosquitto.service"],
  requires(ctx) {
    const mqtt = ctx.config.services.mqtt!;
    const spoke = bridging(ctx.config) && hub(ctx.config).name !== ctx.node.name;
    return [
      MOSQUITTO_PATHS.passwords,
      ...(mqtt.tlsPort !== undefined ? [MOSQUITTO_PATHS.tlsCa, MOSQUITTO_PATHS.tlsCert, MOSQUITTO_PATHS.tlsKey] : []),
      ...(spoke ? [BRIDGE_CONF] : []),
    ];
  },
  render(ctx) {
    const mqtt = ctx.config.services.mqtt!;
    const sources = standardSources("mqtt", ctx.node);
    const tls = mqtt.tlsPort === undefined ? [] : [
      `listener ${mqtt.tlsPort} ${ctx.node.ip}`,
      `cafile ${MOSQUITTO_PATHS.tlsCa}`,
      `certfile ${MOSQUITTO_PATHS.tlsCert}`,
      `keyfile ${MOSQUITTO_PATHS.tlsKey}`,
      "tls_version tlsv1.2",
    ];
    const lines = [
      "per_listener_settings false",
      `listener ${mqtt.port} ${ctx.node.ip}`,
      `listener ${mqtt.port} 127.0.0.1`,
      ...tls,
      `allow_anonymous ${mqtt.allowAnonymous}`,
      `password_file ${MOSQUITTO_PATHS.passwords}`,
      `acl_file ${MOSQUITTO_PATHS.acl}`,
      `persistence ${mqtt.persistence}`,
      // Mosquitto saves on a clean stop and every autosave_interval: its default of 30 minutes would lose that much
      // (retained messages, subscriptions) to a crash or a power cut.
      ...(mqtt.persistence ? [`persistence_location ${MOSQUITTO_PATHS.data}`, "autosave_interval 60"] : []),
      "log_dest stderr",
      // The bridge's connection, with its password, is a file of its own that boot installs from the secrets.
      ...(bridging(ctx.config) && hub(ctx.config).name !== ctx.node.name
        ? [`include_dir ${BRIDGE_CONF.slice(0, BRIDGE_CONF.lastIndexOf("/"))}`]
        : []),
      "",
    ];
    const units = this.units(ctx.node);
    return [
      envFile("mosquitto", sources, { ...nodeVars(ctx), MOSQUITTO_CONFIG: MOSQUITTO_PATHS.config }, units),
      configFile(MOSQUITTO_PATHS.config, header(sources) + lines.join("\n"), units),
      configFile(MOSQUITTO_PATHS.acl, header(sources) + aclText(ctx), units),
    ];
  },
};
