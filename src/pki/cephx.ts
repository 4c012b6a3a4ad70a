/**
 * Ceph's cephx secrets and keyrings. A secret is base64 of 28 bytes, little-endian: u16 type (1, AES), u32 created
 * seconds, u32 nanoseconds, u16 length (16), then 16 random bytes — so every key starts with "AQ". Bare random bytes
 * are refused by ceph-authtool and by monitors.
 *
 * @example
 * ```ts
 * const key = cephxKey();
 * keyring("client.admin", key, { mon: "allow *" });
 * ```
 * @module
 */
import { fromBase64, toBase64 } from "./pem.ts";

/** A new cephx secret, created now (or at `now`, for tests). */
export function cephxKey(now = new Date()): string {
  const bytes = new Uint8Array(28);
  const view = new DataView(bytes.buffer);
  const ms = now.getTime();
  view.setUint16(0, 1, true);
  view.setUint32(2, Math.floor(ms / 1000), true);
  view.setUint32(6, (ms % 1000) * 1_000_000, true);
  view.setUint16(10, 16, true);
  bytes.set(crypto.getRandomValues(new Uint8Array(16)), 12);
  return toBase64(bytes);
}

/** Whether `key` has the cephx secret layout (AES, 16-byte secret). */
export function isCephxKey(key: string): boolean {
  try {
    const bytes = fromBase64(key);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return bytes.length === 28 && view.getUint16(0, true) === 1 && view.getUint16(10, true) === 16;
  } catch {
    return false;
  }
}

/** A keyring section for one entity with its capabilities, in the layout ceph-authtool writes. */
export function keyring(entity: string, key: string, caps: Readonly<Record<string, string>>): string {
  const lines = [`[${entity}]`, `\tkey = ${key}`];
  for (const [service, cap] of Object.entries(caps).sort(([a], [b]) => a < b ? -1 : 1)) {
    lines.push(`\tcaps ${service} = "${cap}"`);
  }
  return lines.join("\n") + "\n";
}
