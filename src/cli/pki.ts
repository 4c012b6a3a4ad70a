/**
 * `clusterboot pki init | check | rotate`: every key and certificate the cluster needs, made once, checked, renewed.
 * Output names items and what happened to them, never their content.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { assess } from "../pki/assess.ts";
import { catalogue, settingsOf } from "../pki/catalogue.ts";
import { initPki, rotateItem } from "../pki/init.ts";
import { SecretStore } from "../pki/store.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { loadStep, LOCATION_HELP, secretsDirOf } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";
import { suggestWord } from "../text/suggest.ts";

const HELP = `usage: clusterboot pki init   [--config DIR] [--out DIR] [--json]
       clusterboot pki check  [--config DIR] [--secrets DIR] [--days N] [--json]
       clusterboot pki rotate --item NAME [--config DIR] [--secrets DIR]

init    makes every key, certificate, kubeconfig, token, Ceph key, MQTT password and cluster id the configuration
        needs. An item that exists and is valid is kept; a missing one is added; one that is no longer right (a
        master was added to the apiserver's names, an expired certificate) is reported and kept: rotate it.
        Exit 1 when something needs rotation.
check   validity, chain, names, key/certificate match and days to expiry of every item; exit 1 when one is
        missing, invalid, or expires within --days (default 30).
rotate  renews one leaf certificate (and the kubeconfig embedding it), a token or a password, signed by the
        existing CA. CAs are never rotated this way.

Files are 0600 in 0700 directories, written atomically. Key material is never printed.

options:
${LOCATION_HELP}
  --out DIR      (init) where the secrets go (default: secrets/ in the configuration directory)
  --secrets DIR  the same, for check and rotate
  --days N       (check) warn about certificates expiring within N days (default 30)
  --item NAME    (rotate) the item, as check lists it
  --json         print the report as JSON

examples:
  clusterboot pki init --config configs
  clusterboot pki check --config configs --days 60
  clusterboot pki rotate --config configs --item apiserver`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.pki);
  const [sub] = parsed._;
  if (parsed.help || sub === undefined) return (out.result(HELP), sub === undefined && !parsed.help ? 2 : 0);
  const subcommands = ["init", "check", "rotate"];
  if (!subcommands.includes(sub)) throw new UsageError(`unknown pki command "${sub}"`, suggestWord(sub, subcommands));

  const loaded = await loadStep(parsed, out);
  const given = stringFlag(parsed, "out") ?? stringFlag(parsed, "secrets");
  const dir = given ?? secretsDirOf(parsed, loaded.dir).dir;
  const store = new SecretStore(dir);
  const config = loaded.config;

  if (sub === "init") {
    const settings = settingsOf(config);
    const report = await out.step(
      `pki init ${dir} (${settings.keyType}, CA ${settings.caDays} days, leaf ${settings.leafDays} days)`,
      () => initPki(config, store),
      (r) => {
        const n = (action: string) => r.filter((e) => e.action === action).length;
        return `${n("created")} created, ${n("kept")} kept, ${n("updated")} updated, ${
          n("needs-rotation")
        } need rotation, ${n("unused")} unused`;
      },
    );
    if (parsed.json) out.result(JSON.stringify(report, null, 2));
    else {
      for (const entry of report) {
        const why = entry.reasons.length ? `: ${entry.reasons.join("; ")}` : "";
        out.result(`  ${entry.action.padEnd(15)} ${entry.item}${why}`);
      }
    }
    const stale = report.filter((e) => e.action === "needs-rotation");
    if (stale.length) {
      out.error(`${stale.length} item(s) need rotation: clusterboot pki rotate --item ${stale[0].item}`);
      return 1;
    }
    return 0;
  }

  if (sub === "check") {
    const days = Number(stringFlag(parsed, "days", "30"));
    if (!Number.isInteger(days) || days < 0) {
      throw new UsageError(`--days must be a whole number, got "${parsed.days}"`);
    }
    if (!store.exists()) throw new UsageError(`no secrets directory at ${dir}`, "make it with clusterboot pki init");
    const results = [];
    for (const item of catalogue(config)) results.push(await assess(item, store));
    const failing = results.filter((r) => r.status !== "ok" || (r.daysLeft !== undefined && r.daysLeft < days));
    if (parsed.json) {
      out.result(JSON.stringify({ ok: failing.length === 0, thresholdDays: days, items: results }, null, 2));
    } else {
      out.result(`${"item".padEnd(32)} ${"kind".padEnd(17)} ${"status".padEnd(8)} ${"expires".padEnd(11)} days`);
      for (const r of results) {
        const expiring = r.daysLeft !== undefined && r.daysLeft < days && r.status === "ok";
        const status = expiring ? "expiring" : r.status;
        out.result(
          `${r.item.padEnd(32)} ${r.kind.padEnd(17)} ${status.padEnd(8)} ${
            (r.notAfter?.slice(0, 10) ?? "-").padEnd(11)
          } ${r.daysLeft ?? "-"}${r.reasons.length ? `  ${r.reasons.join("; ")}` : ""}`,
        );
      }
      out.result(`${results.length - failing.length} of ${results.length} items ok (threshold ${days} days)`);
    }
    return failing.length ? 1 : 0;
  }

  const item = stringFlag(parsed, "item");
  if (!item) throw new UsageError("pki rotate needs --item NAME", "clusterboot pki check lists the items");
  if (!store.exists()) throw new UsageError(`no secrets directory at ${dir}`, "make it with clusterboot pki init");
  const renewed = await out.step(
    `pki rotate ${item}`,
    () => rotateItem(config, store, item),
    (r) => `renewed ${r.join(", ")}`,
  );
  if (parsed.json) out.result(JSON.stringify({ renewed }, null, 2));
  out.info('install on the nodes with "clusterboot boot" (it restarts the daemons that read them)');
  return 0;
}
