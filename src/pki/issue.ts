/**
 * Making an item's material: keys, certificates, tokens, passwords, ids — and the files derived from them
 * (kubeconfigs, keyrings, the Mosquitto password file), which are rewritten whenever their parts change.
 *
 * @module
 */
import type { Config } from "../config/model.ts";
import { FILES, type Item, type PkiSettings } from "./catalogue.ts";
import { issueCa, issueLeaf, type Issuer, type KeyAndCert, prepareIssuer } from "./certificates.ts";
import { cephxKey, keyring } from "./cephx.ts";
import { generateKeyPair, privateKeyPem, publicKeyPem } from "./keys.ts";
import { kubeconfig } from "./kubeconfig.ts";
import { passwordLine, verifyPasswordLine } from "./mosquitto_passwd.ts";
import { bootstrapToken, kafkaClusterId, password, uuid } from "./random.ts";
import type { SecretStore } from "./store.ts";

export interface IssueContext {
  config: Config;
  settings: PkiSettings;
  store: SecretStore;
  now?: Date;
  /** CAs prepared for signing, by item name, so each is parsed once however many leaves it signs. */
  issuers?: Map<string, Promise<Issuer>>;
}

/** A CA's certificate and key from the store; throws when the CA is not there (CAs are made first). */
export function caOf(store: SecretStore, issuer: string): KeyAndCert {
  const cert = store.readText(issuer, "ca.crt");
  const key = store.readText(issuer, "ca.key");
  if (!cert || !key) throw new Error(`CA ${issuer} is missing from ${store.dir}`);
  return { cert, key };
}

/** Makes new primary material for `item` and writes it (derived files follow with {@link writeDerived}). */
export async function issue(item: Item, ctx: IssueContext): Promise<void> {
  const { store, settings } = ctx;
  const options = { keyType: settings.keyType, now: ctx.now };
  switch (item.kind) {
    case "ca": {
      ctx.issuers?.delete(item.name);
      const ca = await issueCa(item.cn, { ...options, days: settings.caDays });
      store.write(item.name, "ca.key", ca.key);
      store.write(item.name, "ca.crt", ca.cert);
      return;
    }
    case "cert":
    case "kubeconfig": {
      ctx.issuers ??= new Map();
      let issuer = ctx.issuers.get(item.issuer);
      if (!issuer) ctx.issuers.set(item.issuer, issuer = prepareIssuer(caOf(store, item.issuer)));
      const leaf = await issueLeaf(item.spec, await issuer, { ...options, days: settings.leafDays });
      store.write(item.name, "tls.key", leaf.key);
      store.write(item.name, "tls.crt", leaf.cert);
      return;
    }
    case "keypair": {
      // The API server signs service-account tokens with ES256 or RS256 only: always ECDSA P-256 here.
      const keys = await generateKeyPair("ecdsa-p256");
      store.write(item.name, "key.pem", await privateKeyPem(keys.privateKey));
      store.write(item.name, "pub.pem", await publicKeyPem(keys.publicKey));
      return;
    }
    case "token":
      store.write(item.name, "token", bootstrapToken() + "\n");
      return;
    case "uuid":
      store.write(item.name, "value", uuid() + "\n");
      return;
    case "kafka-cluster-id":
      store.write(item.name, "value", kafkaClusterId() + "\n");
      return;
    case "cephx":
      store.write(item.name, "key", cephxKey(ctx.now) + "\n");
      return;
    case "password":
      store.write(item.name, "password", password() + "\n");
      return;
    case "mosquitto-passwd":
      return; // entirely derived from the users' passwords
  }
}

/** Rewrites the derived files of `item` from its parts; returns whether anything changed. */
export async function writeDerived(item: Item, ctx: IssueContext): Promise<boolean> {
  const { store } = ctx;
  switch (item.kind) {
    case "kubeconfig": {
      const text = kubeconfig({
        cluster: ctx.config.cluster.name,
        server: item.server,
        user: item.user,
        ca: caOf(store, item.issuer).cert,
        cert: store.readText(item.name, "tls.crt")!,
        key: store.readText(item.name, "tls.key")!,
      });
      return store.write(item.name, "kubeconfig", text);
    }
    case "cephx": {
      const key = store.readText(item.name, "key")!.trim();
      return store.write(item.name, "keyring", keyring(item.entity, key, item.caps));
    }
    case "mosquitto-passwd": {
      // Salts are random: keep every line whose password still verifies, so an unchanged user keeps its line.
      const existing = (store.readText(item.name, "passwd") ?? "").split("\n").filter(Boolean);
      const lines: string[] = [];
      for (const user of item.users) {
        const secret = store.readText(user.item, "password")!.trim();
        const line = existing.find((l) => l.startsWith(`${user.name}:`));
        lines.push(
          line && await verifyPasswordLine(line, secret, user.name) ? line : await passwordLine(user.name, secret),
        );
      }
      return store.write(item.name, "passwd", lines.join("\n") + "\n");
    }
    default:
      return false;
  }
}

/** The files an item's kind stores, for listing and checks. */
export function filesOf(item: Item): readonly string[] {
  return FILES[item.kind];
}
