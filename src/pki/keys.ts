/**
 * Key pairs through WebCrypto: ECDSA P-256 (the default, accepted by every consumer here) or Ed25519. Private keys
 * are stored as PKCS #8 PEM, public keys as SPKI PEM.
 *
 * @example
 * ```ts
 * const keys = await generateKeyPair("ecdsa-p256");
 * const pem = await privateKeyPem(keys.privateKey);
 * ```
 * @module
 */
import { fromPem, toPem } from "./pem.ts";

export const KEY_TYPES = ["ecdsa-p256", "ed25519"] as const;
export type KeyType = typeof KEY_TYPES[number];

/** The WebCrypto algorithm for generating and signing with each key type. */
export function algorithmOf(type: KeyType): EcKeyGenParams & EcdsaParams | Algorithm {
  return type === "ed25519" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
}

export async function generateKeyPair(type: KeyType): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey(algorithmOf(type), true, ["sign", "verify"]) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return toPem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", key));
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return toPem("PUBLIC KEY", await crypto.subtle.exportKey("spki", key));
}

/** Imports a PKCS #8 PEM private key of either type, for signing. */
export async function importPrivateKey(pem: string): Promise<{ key: CryptoKey; type: KeyType }> {
  const der = fromPem(pem, "PRIVATE KEY");
  for (const type of KEY_TYPES) {
    try {
      const key = await crypto.subtle.importKey("pkcs8", der, algorithmOf(type), true, ["sign"]);
      return { key, type };
    } catch {
      // not this type; try the next
    }
  }
  throw new SyntaxError("unsupported private key: expected an ECDSA P-256 or Ed25519 PKCS #8 key");
}

/** The public half of a private key, as SPKI DER, to check that a key belongs to a certificate. */
export async function publicKeyOf(privateKey: CryptoKey): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  delete jwk.d;
  jwk.key_ops = ["verify"];
  const algorithm = privateKey.algorithm as Algorithm;
  const publicKey = await crypto.subtle.importKey("jwk", jwk, algorithm, true, ["verify"]);
  return new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
}
