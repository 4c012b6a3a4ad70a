/**
 * `pki init` and `pki rotate`: make what is missing, keep what is valid, never silently replace anything; renew one
 * leaf on request without touching its CA.
 *
 * @example
 * ```ts
 * const report = await initPki(config, new SecretStore("configs/secrets"));
 * report.filter((r) => r.action === "needs-rotation");
 * ```
 * @module
 */
import type { Config } from "../config/model.ts";
import { UsageError } from "../errors.ts";
import { assess } from "./assess.ts";
import { catalogue, type Item, settingsOf } from "./catalogue.ts";
import { issue, type IssueContext, writeDerived } from "./issue.ts";
import type { SecretStore } from "./store.ts";
import { suggestWord } from "../text/suggest.ts";

export interface InitEntry {
  item: string;
  kind: Item["kind"] | "unknown";
  /** created; kept as it was; updated (derived files rewritten); needs-rotation (kept, but wrong now); unused. */
  action: "created" | "kept" | "updated" | "needs-rotation" | "unused";
  reasons: string[];
}

export interface PkiOptions {
  now?: Date;
}

export async function initPki(config: Config, store: SecretStore, options: PkiOptions = {}): Promise<InitEntry[]> {
  store.ensureDir();
  const ctx: IssueContext = { config, settings: settingsOf(config), store, now: options.now };
  const items = catalogue(config);
  const settle = async (item: Item): Promise<InitEntry> => {
    const assessment = await assess(item, store, options.now);
    if (assessment.status === "missing") {
      await issue(item, ctx);
      await writeDerived(item, ctx);
      return { item: item.name, kind: item.kind, action: "created", reasons: [] };
    }
    if (assessment.status === "ok" || item.kind === "mosquitto-passwd") {
      const existed = item.kind !== "mosquitto-passwd" || store.read(item.name, "passwd") !== undefined;
      const updated = await writeDerived(item, ctx);
      return {
        item: item.name,
        kind: item.kind,
        action: !existed ? "created" : updated ? "updated" : "kept",
        reasons: [],
      };
    }
    return { item: item.name, kind: item.kind, action: "needs-rotation", reasons: assessment.reasons };
  };
  // CAs first (leaves need them), files derived from other items last; everything between is independent, and
  // settling several at once lets the runtime's crypto threads work while JavaScript encodes certificates.
  const entries = new Map<string, InitEntry>();
  const cas = items.filter((i) => i.kind === "ca");
  const derivedLast = items.filter((i) => i.kind === "mosquitto-passwd");
  const middle = items.filter((i) => i.kind !== "ca" && i.kind !== "mosquitto-passwd");
  for (const item of cas) entries.set(item.name, await settle(item));
  await eachConcurrently(middle, 8, async (item) => void entries.set(item.name, await settle(item)));
  for (const item of derivedLast) entries.set(item.name, await settle(item));
  const report = items.map((i) => entries.get(i.name)!);
  const known = new Set(items.map((i) => i.name));
  for (const name of store.items()) {
    if (!known.has(name)) {
      report.push({ item: name, kind: "unknown", action: "unused", reasons: ["the configuration no longer needs it"] });
    }
  }
  return report;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Kinds `rotate` renews: leaves and tokens. CAs, keys that data depends on, and ids are not renewed this way. */
const ROTATABLE = new Set<Item["kind"]>(["cert", "kubeconfig", "token", "password"]);

const REFUSALS: Partial<Record<Item["kind"], string>> = {
  ca: "renewing a CA would invalidate every certificate it signed",
  keypair: "a new service-account key invalidates every service-account token in the cluster",
  cephx: "a running Ceph cluster knows this key; change it with ceph auth first",
  uuid: "the Ceph fsid names the cluster's data",
  "kafka-cluster-id": "the KRaft cluster id is written into every broker's storage",
};

/** Renews one item (and the files that embed it: its kubeconfig, the Mosquitto password file). */
export async function rotateItem(
  config: Config,
  store: SecretStore,
  name: string,
  options: PkiOptions = {},
): Promise<string[]> {
  const items = catalogue(config);
  const item = items.find((i) => i.name === name);
  if (!item) {
    throw new UsageError(`no item "${name}" in this cluster's PKI`, suggestWord(name, items.map((i) => i.name)));
  }
  if (!ROTATABLE.has(item.kind)) {
    throw new UsageError(`${name} (${item.kind}) cannot be rotated: ${REFUSALS[item.kind] ?? "not a leaf"}`);
  }
  const ctx: IssueContext = { config, settings: settingsOf(config), store, now: options.now };
  await issue(item, ctx);
  await writeDerived(item, ctx);
  const renewed = [name];
  // Files that embed this item follow it.
  for (const other of items) {
    if (other.kind === "mosquitto-passwd" && other.users.some((u) => u.item === name)) {
      if (await writeDerived(other, ctx)) renewed.push(other.name);
    }
  }
  return renewed;
}
