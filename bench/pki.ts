/**
 * `deno task bench` (second part): `clusterboot pki init` for the example cluster and a generated 1,000-node one,
 * next to openssl making the same number of keys and CA-signed certificates (one `openssl req -x509 -CA` per key,
 * as a shell script would) in the same run, alternating, on the same file system. Medians.
 *
 * @module
 */
import { loadConfig } from "../src/config/load.ts";
import { catalogue } from "../src/pki/catalogue.ts";
import { writeSyntheticCluster } from "../tests/support/synthetic.ts";
import { emptied, paired, range, tableHead, timeOnce } from "./measure.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXE = `${ROOT}dist/clusterboot`;
const RUNS = Number(Deno.env.get("BENCH_PKI_RUNS") ?? 3);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-pki-", dir: Deno.env.get("TMPDIR") ?? "/var/tmp" });

// A CA for openssl to sign with, made by openssl itself.
const ca = `${work}/ca`;
await Deno.mkdir(ca);
await timeOnce({
  cmd: [
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    `${ca}/ca.key`,
    "-out",
    `${ca}/ca.crt`,
    "-subj",
    "/CN=bench-ca",
    "-days",
    "3650",
  ],
});

async function bench(name: string, configDir: string) {
  const { config } = await loadConfig(configDir, { full: true });
  const keys = catalogue(config).filter((i) => ["ca", "cert", "kubeconfig", "keypair"].includes(i.kind)).length;
  const script = `${work}/openssl.sh`;
  await Deno.writeTextFile(
    script,
    `set -e\nout=$1\nmkdir -p "$out"\ni=0\nwhile [ $i -lt ${keys} ]; do\n` +
      `  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/$i.key" -out "$out/$i.crt" ` +
      `-subj "/CN=item-$i" -days 365 -CA ${ca}/ca.crt -CAkey ${ca}/ca.key 2>/dev/null\n  i=$((i+1))\ndone\n`,
  );
  const ours = `${work}/ours-${name}`, theirs = `${work}/openssl-${name}`;
  const r = await paired(
    {
      a: { cmd: [EXE, "pki", "init", "--config", configDir, "--out", ours], before: emptied(ours) },
      b: { cmd: ["sh", script, theirs], before: emptied(theirs) },
    },
    RUNS,
    0,
  );
  const items = catalogue(config).length;
  console.log(
    `| pki init, ${name} (${items} items, ${keys} keys) | ${(r.a / 1000).toFixed(2)} | ${(r.b / 1000).toFixed(2)} | ${
      range(r)
    } |`,
  );
}

console.log(`\n4. pki init vs openssl making as many keys and CA-signed certificates, ${RUNS} paired runs, medians`);
console.log(tableHead(["row", "clusterboot s", "openssl s", "ratio (min–max)"], ["row"]));
await bench("example cluster", `${ROOT}configs`);
await writeSyntheticCluster(`${work}/c1000`, { nodes: 1000, seed: 1 });
await bench("1,000 nodes", `${work}/c1000`);
await Deno.remove(work, { recursive: true });
