/**
 * Random identifiers and secrets in the formats their consumers expect.
 *
 * @example
 * ```ts
 * bootstrapToken(); // "k3x9a2.0123456789abcdef", kubeadm's [a-z0-9]{6}.[a-z0-9]{16}
 * kafkaClusterId(); // 22 characters of URL-safe base64, like kafka-storage random-uuid
 * ```
 * @module
 */
import { toBase64 } from "./pem.ts";

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `n` characters from `alphabet`, without modulo bias. */
export function randomString(n: number, alphabet = TOKEN_ALPHABET): string {
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < n) {
    for (const byte of crypto.getRandomValues(new Uint8Array(n * 2))) {
      if (byte < limit && out.length < n) out.push(alphabet[byte % alphabet.length]);
    }
  }
  return out.join("");
}

/** A Kubernetes bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}` (id.secret). */
export function bootstrapToken(): string {
  return `${randomString(6)}.${randomString(16)}`;
}

export const BOOTSTRAP_TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/**
 * A KRaft cluster id: 16 random bytes as unpadded URL-safe base64, as Kafka's Uuid.toString() writes them. Never one
 * that starts with "-" (one in 64 would): kafka-storage would take it for an option, and Kafka's own
 * Uuid.randomUuid() draws again for the same reason.
 */
export function kafkaClusterId(): string {
  for (;;) {
    const id = toBase64(crypto.getRandomValues(new Uint8Array(16))).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=+$/, "");
    if (!id.startsWith("-")) return id;
  }
}

export const KAFKA_CLUSTER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A password for a service user: 24 characters of letters and digits (about 143 bits). */
export function password(): string {
  return randomString(24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A random (version 4) UUID, e.g. a Ceph fsid. */
export function uuid(): string {
  return crypto.randomUUID();
}

/** A certificate serial number: 16 random bytes, the top bit cleared so it reads as positive. */
export function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
