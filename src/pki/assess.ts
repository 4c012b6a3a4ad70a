/**
 * Judging an item already in the secrets directory against what the configuration needs: present, readable,
 * signed by its CA, naming the right subject and addresses, its key matching its certificate, and how long it has.
 *
 * @module
 */
import { FILES, type Item } from "./catalogue.ts";
import { inspect, signedBy } from "./certificates.ts";
import { isCephxKey } from "./cephx.ts";
import { importPrivateKey, publicKeyOf } from "./keys.ts";
import { fromPem } from "./pem.ts";
import { BOOTSTRAP_TOKEN_PATTERN, KAFKA_CLUSTER_ID_PATTERN, UUID_PATTERN } from "./random.ts";
import type { SecretStore } from "./store.ts";
import { verifyPasswordLine } from "./mosquitto_passwd.ts";

export interface Assessment {
  item: string;
  kind: Item["kind"];
  /** missing: nothing there; ok: usable as it is; stale: usable once, no longer right for the config; invalid: broken. */
  status: "missing" | "ok" | "stale" | "invalid";
  reasons: string[];
  /** For certificates: when it expires, and the days left (negative once expired). */
  notAfter?: string;
  daysLeft?: number;
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

export async function assess(item: Item, store: SecretStore, now = new Date()): Promise<Assessment> {
  const base = { item: item.name, kind: item.kind };
  const primary = FILES[item.kind].filter((f) => !DERIVED.has(f));
  const present = primary.filter((f) => store.read(item.name, f) !== undefined);
  if (present.length === 0 && item.kind !== "mosquitto-passwd") return { ...base, status: "missing", reasons: [] };
  if (present.length < primary.length) {
    const absent = primary.filter((f) => !present.includes(f));
    return { ...base, status: "invalid", reasons: [`${absent.join(", ")} missing`] };
  }
  try {
    return { ...base, ...await judge(item, store, now) };
  } catch (error) {
    return { ...base, status: "invalid", reasons: [(error as Error).message] };
  }
}

/** Files rebuilt from the others whenever they differ; their absence is no fault. */
const DERIVED = new Set(["kubeconfig", "keyring", "passwd"]);

type Judgement = Pick<Assessment, "status" | "reasons" | "notAfter" | "daysLeft">;

async function judge(item: Item, store: SecretStore, now: Date): Promise<Judgement> {
  const text = (file: string) => store.readText(item.name, file)!;
  switch (item.kind) {
    case "ca":
      return await judgeCertificate(text("ca.crt"), text("ca.key"), now, (facts, reasons) => {
        if (!facts.isCa) reasons.push("not a CA certificate");
        if (facts.cn !== item.cn) reasons.push(`subject CN is ${facts.cn}, expected ${item.cn}`);
      });
    case "cert":
    case "kubeconfig": {
      const caCert = store.readText(item.issuer, "ca.crt");
      const signed = caCert !== undefined && await signedBy(text("tls.crt"), caCert);
      return await judgeCertificate(text("tls.crt"), text("tls.key"), now, (facts, reasons) => {
        const spec = item.spec;
        if (!signed) reasons.push(`not signed by the current ${item.issuer}`);
        if (facts.cn !== spec.cn) reasons.push(`subject CN is ${facts.cn}, expected ${spec.cn}`);
        if (!sameSet(facts.organizations, spec.organizations)) {
          reasons.push(`organizations are [${facts.organizations}], expected [${spec.organizations ?? []}]`);
        }
        if (!sameSet(facts.dns, spec.dns)) reasons.push(`DNS names are [${facts.dns}], expected [${spec.dns ?? []}]`);
        if (!sameSet(facts.ips, spec.ips)) {
          reasons.push(`IP addresses are [${facts.ips}], expected [${spec.ips ?? []}]`);
        }
        const wantServer = spec.usage !== "client", wantClient = spec.usage !== "server";
        if (facts.serverAuth !== wantServer || facts.clientAuth !== wantClient) {
          reasons.push(`extended key usage does not match ${spec.usage}`);
        }
      });
    }
    case "keypair": {
      const { key } = await importPrivateKey(text("key.pem"));
      const matches = equal(await publicKeyOf(key), fromPem(text("pub.pem"), "PUBLIC KEY"));
      return matches ? ok() : { status: "invalid", reasons: ["pub.pem is not the public half of key.pem"] };
    }
    case "token":
      return BOOTSTRAP_TOKEN_PATTERN.test(text("token").trim())
        ? ok()
        : bad("not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
    case "uuid":
      return UUID_PATTERN.test(text("value").trim()) ? ok() : bad("not a UUID");
    case "kafka-cluster-id":
      return KAFKA_CLUSTER_ID_PATTERN.test(text("value").trim())
        ? ok()
        : bad("not a Kafka cluster id (22 base64url characters)");
    case "cephx":
      return isCephxKey(text("key").trim()) ? ok() : bad("not a cephx key");
    case "password":
      return text("password").trim().length >= 12 ? ok() : bad("password shorter than 12 characters");
    case "mosquitto-passwd": {
      const lines = (store.readText(item.name, "passwd") ?? "").split("\n").filter(Boolean);
      const reasons: string[] = [];
      for (const user of item.users) {
        const secret = store.readText(user.item, "password")?.trim();
        const line = lines.find((l) => l.startsWith(`${user.name}:`));
        if (!secret || !line || !await verifyPasswordLine(line, secret, user.name)) {
          reasons.push(`${user.name} out of date`);
        }
      }
      if (lines.length !== item.users.length) reasons.push("lists other users than mqtt.yaml");
      // Derived: init rewrites it; only the primary passwords matter for its status.
      return reasons.length ? { status: "stale", reasons } : ok();
    }
  }
}

async function judgeCertificate(
  certPem: string,
  keyPem: string,
  now: Date,
  expect: (facts: ReturnType<typeof inspect>, reasons: string[]) => void,
): Promise<Judgement> {
  const facts = inspect(certPem);
  const { key } = await importPrivateKey(keyPem);
  const daysLeft = Math.floor((facts.notAfter.getTime() - now.getTime()) / 86_400_000);
  const expiry = { notAfter: facts.notAfter.toISOString(), daysLeft };
  if (!equal(await publicKeyOf(key), facts.publicKey)) {
    return { status: "invalid", reasons: ["the key does not belong to the certificate"], ...expiry };
  }
  if (facts.notAfter.getTime() <= now.getTime()) return { status: "stale", reasons: ["expired"], ...expiry };
  const reasons: string[] = [];
  expect(facts, reasons);
  return { status: reasons.length ? "stale" : "ok", reasons, ...expiry };
}

const ok = (): Judgement => ({ status: "ok", reasons: [] });
const bad = (reason: string): Judgement => ({ status: "invalid", reasons: [reason] });

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
