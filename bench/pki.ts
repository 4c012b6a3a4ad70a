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

const ROOT = new URL("../", import.meta.url).pathname;
const EXE = `${ROOT}dist/clusterboot`;
const RUNS = Number(Deno.env.get("BENCH_PKI_RUNS") ?? 3);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-pki-", dir: Deno.env.get("TMPDIR") ?? "/var/tmp" });

async function timed(cmd: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A CA for openssl to sign with, made by openssl itself.
const ca = `${work}/ca`;
await Deno.mkdir(ca);
await timed([
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
]);

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
  const ours: number[] = [], theirs: number[] = [], ratios: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const a = await timed([EXE, "pki", "init", "--config", configDir, "--out", `${work}/ours-${name}-${run}`]);
    const b = await timed(["sh", script, `${work}/openssl-${name}-${run}`]);
    ours.push(a);
    theirs.push(b);
    ratios.push(a / b);
  }
  console.log(
    `| pki init, ${name} (${catalogue(config).length} items, ${keys} keys) | ${(median(ours) / 1000).toFixed(2)} | ${
      (median(theirs) / 1000).toFixed(2)
    } | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
  );
}

console.log(`\npki init vs openssl making as many keys and CA-signed certificates, ${RUNS} alternating runs, medians`);
console.log("| row | clusterboot s | openssl s | ratio (min–max) |");
console.log("| --- | ---: | ---: | ---: |");
await bench("example cluster", `${ROOT}configs`);
await writeSyntheticCluster(`${work}/c1000`, { nodes: 1000, seed: 1 });
await bench("1,000 nodes", `${work}/c1000`);
await Deno.remove(work, { recursive: true });
