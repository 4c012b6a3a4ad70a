/**
 * Kafka in KRaft mode: server.properties with a node id that never changes, the controller quorum from every
 * kafka-broker node that is a controller, listeners on the node's address (TLS with our certificates when
 * kafka.yaml says `tls: true`), and a log4j2 configuration sending Kafka's log to the journal.
 *
 * @module
 */
import type { Config } from "../config/model.ts";
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";

/** What KAFKA_JVM_OPTS keeps when a node file replaces the unit's tuning (units/kafka.service has the same). */
const KAFKA_JVM_ESSENTIALS = [
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
  "-Dkafka.logs.dir=/var/log/kafka",
];

export const KAFKA_PATHS = {
  config: "/etc/kafka/server.properties",
  log4j: "/etc/kafka/log4j2.properties",
  logDir: "/var/lib/kafka/data",
  /** The broker's key and certificate in one PEM file, as Kafka's PEM key store wants them. */
  tlsKeyStore: "/etc/kafka/tls/server.pem",
  tlsTrustStore: "/etc/kafka/tls/ca.crt",
  /** Where boot installs each SCRAM user's password: `<dir>/<user>`. */
  scramDir: "/etc/kafka/scram",
  /** The libraries the unit runs Kafka and its storage tool from. */
  libs: "/opt/kafka/libs",
} as const;

/** The KRaft voters, `id@host:port`, from every kafka-broker node that is a controller. */
export function controllerVoters(config: Config): string[] {
  const port = config.services.kafka!.controllerPort;
  return config.cluster.nodes
    .filter((n) => n.roles.includes("kafka-broker") && (config.nodes[n.name].kafka?.controller ?? true))
    .map((n) => `${config.nodes[n.name].kafka!.nodeId}@${n.ip}:${port}`);
}

const LOG4J = [
  "status = warn",
  "appender.console.type = Console",
  "appender.console.name = STDOUT",
  "appender.console.layout.type = PatternLayout",
  "appender.console.layout.pattern = [%d] %p %m (%c)%n",
  "rootLogger.level = info",
  "rootLogger.appenderRef.stdout.ref = STDOUT",
  "logger.kafka.name = kafka",
  "logger.kafka.level = info",
  "logger.request.name = kafka.request.logger",
  "logger.request.level = warn",
  "",
].join("\n");

export const kafka: Daemon = {
  name: "kafka",
  unit: "kafka.service",
  dataDirs: ["/var/lib/kafka"],
  units: () => ["kafka.service"],
  requires: (ctx) => ctx.config.services.kafka?.tls ? [KAFKA_PATHS.tlsKeyStore, KAFKA_PATHS.tlsTrustStore] : [],
  render(ctx) {
    const settings = ctx.config.services.kafka!;
    const { node } = ctx;
    const nodeKafka = node.file.kafka!;
    const controller = nodeKafka.controller ?? true;
    const sources = standardSources("kafka", node);
    const replicas = settings.replicationFactor;
    // Clients and brokers share one listener; controllers talk on their own. Both TLS when asked.
    const protocol = settings.tls ? "SSL" : "PLAINTEXT";
    const client = `${protocol}://${node.ip}:${settings.port}`;
    const properties: [string, string | number][] = [
      ["process.roles", controller ? "broker,controller" : "broker"],
      ["node.id", nodeKafka.nodeId],
      ["controller.quorum.voters", controllerVoters(ctx.config).join(",")],
      ["listeners", controller ? `${client},CONTROLLER://${node.ip}:${settings.controllerPort}` : client],
      ["advertised.listeners", client],
      ["controller.listener.names", "CONTROLLER"],
      ["inter.broker.listener.name", protocol],
      ["listener.security.protocol.map", `CONTROLLER:${protocol},${protocol}:${protocol}`],
      ...(settings.tls
        ? [
          ["ssl.keystore.type", "PEM"],
          ["ssl.keystore.location", KAFKA_PATHS.tlsKeyStore],
          ["ssl.truststore.type", "PEM"],
          ["ssl.truststore.location", KAFKA_PATHS.tlsTrustStore],
          ["ssl.client.auth", "none"],
        ] as [string, string][]
        : []),
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
      KAFKA_LOG4J_OPTS: `-Dlog4j2.configurationFile=${KAFKA_PATHS.log4j}`,
      // Unset, the unit's own defaults apply (a 1 GiB heap, G1 tuned for latency).
      ...(nodeKafka.heap ? { KAFKA_HEAP_OPTS: `-Xms${nodeKafka.heap} -Xmx${nodeKafka.heap}` } : {}),
      ...(nodeKafka.jvmOptions ? { KAFKA_JVM_OPTS: [...nodeKafka.jvmOptions, ...KAFKA_JVM_ESSENTIALS].join(" ") } : {}),
      ...(clusterId ? { KAFKA_CLUSTER_ID: clusterId } : {}),
    };
    const units = this.units(node);
    return [
      envFile("kafka", sources, vars, units),
      configFile(KAFKA_PATHS.config, text, units),
      configFile(KAFKA_PATHS.log4j, header(sources) + LOG4J, units),
    ];
  },
};
