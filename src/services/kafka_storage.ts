/**
 * Kafka's storage: formatted once, on the first start, with the cluster's KRaft id; never again. A log directory
 * that holds another cluster's id is refused rather than reformatted — its data is not ours to destroy.
 *
 * @module
 */
import { under } from "../apply/root.ts";
import { OwnerResolver } from "../apply/owners.ts";
import { EnvironmentError } from "../errors.ts";
import { KAFKA_PATHS } from "./kafka.ts";
import type { RenderContext } from "./render.ts";

export interface StorageOptions {
  root: string;
  live: boolean;
}

/** The `cluster.id` a formatted log directory records, or undefined when it is not formatted. */
export function formattedClusterId(root: string): string | undefined {
  try {
    const text = Deno.readTextFileSync(under(root, `${KAFKA_PATHS.logDir}/meta.properties`));
    return /^cluster\.id=(.+)$/m.exec(text)?.[1].trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Formats the storage when it is not yet; returns what it did, for the log. */
export async function ensureKafkaStorage(ctx: RenderContext, options: StorageOptions): Promise<string> {
  const expected = ctx.ids.kafkaClusterId;
  const found = formattedClusterId(options.root);
  if (found !== undefined) {
    if (expected && found !== expected) {
      throw new EnvironmentError(
        `kafka cannot start: ${KAFKA_PATHS.logDir} belongs to Kafka cluster ${found}, not ${expected}`,
        "it holds another cluster's data: move it away by hand if it is no longer wanted",
      );
    }
    return `kafka: storage formatted already for cluster ${found}, kept`;
  }
  if (!expected) {
    throw new EnvironmentError(
      "kafka cannot start: no KRaft cluster id on this node",
      "make it with clusterboot pki init, and install it with clusterboot boot --secrets DIR",
    );
  }
  if (!options.live) return `kafka: storage would be formatted for cluster ${expected} on the node`;
  const format = await new Deno.Command("java", {
    args: [
      // A short run: a small heap, and the quick compiler only (most of a cold JVM's work is compiling).
      "-Xmx256m",
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      "-cp",
      `${KAFKA_PATHS.libs}/*`,
      "kafka.tools.StorageTool",
      "format",
      // One argument: an id made elsewhere may start with "-", which the tool would read as an option.
      `--cluster-id=${expected}`,
      "--config",
      KAFKA_PATHS.config,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output().catch((error) => {
    throw new EnvironmentError(`kafka: cannot run java to format its storage: ${(error as Error).message}`);
  });
  if (!format.success) {
    throw new EnvironmentError(
      `kafka: formatting ${KAFKA_PATHS.logDir} failed: ${new TextDecoder().decode(format.stderr).trim()}`,
    );
  }
  // The tool ran as root; the broker runs as kafka and must own what it writes into.
  const { uid, gid } = new OwnerResolver(options.root).resolve("kafka");
  chownTree(under(options.root, "/var/lib/kafka"), uid, gid);
  return `kafka: storage formatted for cluster ${expected}`;
}

function chownTree(path: string, uid: number, gid: number): void {
  Deno.chownSync(path, uid, gid);
  if (!Deno.lstatSync(path).isDirectory) return;
  for (const entry of Deno.readDirSync(path)) chownTree(`${path}/${entry.name}`, uid, gid);
}
