/**
 * Mosquitto password files: `user:$7$<iterations>$<base64 salt>$<base64 hash>`, PBKDF2-HMAC-SHA512 with a 12-byte
 * random salt and a 64-byte key — what mosquitto_passwd writes and mosquitto 2 reads.
 *
 * @example
 * ```ts
 * const line = await passwordLine("sensors", "secret");
 * await verifyPasswordLine(line, "secret"); // true
 * ```
 * @module
 */
import { fromBase64, toBase64 } from "./pem.ts";

/** mosquitto_passwd's default iteration count. */
export const ITERATIONS = 101;

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-512", salt, iterations }, key, 512);
  return new Uint8Array(bits);
}

/** One line of a password file for `user`. */
export async function passwordLine(user: string, password: string, iterations = ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(12));
  return `${user}:$7$${iterations}$${toBase64(salt)}$${toBase64(await pbkdf2(password, salt, iterations))}`;
}

/** Whether a password file line holds `password` (and names `user`, when given). */
export async function verifyPasswordLine(line: string, password: string, user?: string): Promise<boolean> {
  const match = /^([^:]+):\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(line.trim());
  if (!match || (user !== undefined && match[1] !== user)) return false;
  const expected = fromBase64(match[4]);
  const actual = await pbkdf2(password, fromBase64(match[3]), Number(match[2]));
  return expected.length === actual.length && expected.every((b, i) => b === actual[i]);
}
