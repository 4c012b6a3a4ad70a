/**
 * Kafka in KRaft mode: server.properties with a node id that never changes, the controller quorum from every
 * kafka-broker node that is a controller, and listeners on the node's address.
 *
 * @module
 */
import type { Config } from "../config/model.ts";
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";

export const KAFKA_PATHS = {
  config: "/etc/kafka/server.properties",
  logDir: "/var/lib/kafka/data",
} as const;

/** The KRaft voters, `id@host:port`, from every kafka-broker node that is a controller. */
export function controllerVoters(config: Config): string[] {
  const port = config.services.kafka!.controllerPort;
  return config.cluster.nodes
    .filter((n) => n.roles.includes("kafka-broker") && (config.nodes[n.name].kafka?.controller ?? true))
    .map((n) => `${config.nodes[n.name].kafka!.nodeId}@${n.ip}:${port}`);
}

export const kafka: Daemon = {
  name: "kafka",
  unit: "kafka.service",
  units: () => ["kafka.service"],
  render(ctx) {
    const settings = ctx.config.services.kafka!;
    const { node } = ctx;
    const nodeKafka = node.file.kafka!;
    const controller = nodeKafka.controller ?? true;
    const sources = standardSources("kafka", node);
    const replicas = settings.replicationFactor;
    const properties: [string, string | number][] = [
      ["process.roles", controller ? "broker,controller" : "broker"],
      ["node.id", nodeKafka.nodeId],
      ["controller.quorum.voters", controllerVoters(ctx.config).join(",")],
      [
        "listeners",
        controller
          ? `PLAINTEXT://${node.ip}:${settings.port},CONTROLLER://${node.ip}:${settings.controllerPort}`
          : `PLAINTEXT://${node.ip}:${settings.port}`,
      ],
      ["advertised.listeners", `PLAINTEXT://${node.ip}:${settings.port}`],
      ["controller.listener.names", "CONTROLLER"],
      ["inter.broker.listener.name", "PLAINTEXT"],
      ["listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"],
      ["log.dirs", KAFKA_PATHS.logDir],
      ["num.partitions", settings.numPartitions],
      ["default.replication.factor", replicas],
      ["offsets.topic.replication.factor", replicas],
      ["transaction.state.log.replication.factor", replicas],
      ["transaction.state.log.min.isr", Math.min(2, replicas)],
      ["min.insync.replicas", Math.min(2, replicas)],
      ["log.retention.hours", settings.logRetentionHours],
    ];
    const text = header(sources) + properties.map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
    const clusterId = ctx.ids.kafkaClusterId;
    const vars = {
      ...nodeVars(ctx),
      KAFKA_CONFIG: KAFKA_PATHS.config,
      KAFKA_NODE_ID: nodeKafka.nodeId,
      ...(clusterId ? { KAFKA_CLUSTER_ID: clusterId } : {}),
    };
    return [
      envFile("kafka", sources, vars, this.units(node)),
      configFile(KAFKA_PATHS.config, text, this.units(node)),
    ];
  },
};
