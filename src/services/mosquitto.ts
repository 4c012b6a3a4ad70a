/**
 * Mosquitto: listeners on the node's address and loopback, no anonymous access unless mqtt.yaml allows it, the
 * password and ACL files that `clusterboot pki` writes, persistence under /var/lib/mosquitto.
 *
 * @module
 */
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";

export const MOSQUITTO_PATHS = {
  config: "/etc/mosquitto/mosquitto.conf",
  passwords: "/etc/mosquitto/passwd",
  acl: "/etc/mosquitto/acl",
  data: "/var/lib/mosquitto/",
} as const;

export const mosquitto: Daemon = {
  name: "mosquitto",
  unit: "mosquitto.service",
  units: () => ["mosquitto.service"],
  render(ctx) {
    const mqtt = ctx.config.services.mqtt!;
    const sources = standardSources("mqtt", ctx.node);
    const lines = [
      "per_listener_settings false",
      `listener ${mqtt.port} ${ctx.node.ip}`,
      `listener ${mqtt.port} 127.0.0.1`,
      `allow_anonymous ${mqtt.allowAnonymous}`,
      `password_file ${MOSQUITTO_PATHS.passwords}`,
      `acl_file ${MOSQUITTO_PATHS.acl}`,
      `persistence ${mqtt.persistence}`,
      ...(mqtt.persistence ? [`persistence_location ${MOSQUITTO_PATHS.data}`] : []),
      "log_dest stderr",
      "",
    ];
    const units = this.units(ctx.node);
    return [
      envFile("mosquitto", sources, { ...nodeVars(ctx), MOSQUITTO_CONFIG: MOSQUITTO_PATHS.config }, units),
      configFile(MOSQUITTO_PATHS.config, header(sources) + lines.join("\n"), units),
    ];
  },
};
