/**
 * `deno task demo [NODE]`: boots one node of the example cluster (default master-01) into a scratch root,
 * ./demo-root/<node>, the way cluster-detect.service would on a machine with that node's MAC address, and shows
 * what it did. systemctl is a stand-in that records its calls (this machine's systemd is not touched).
 *
 * @module
 */
import { loadConfig } from "../src/config/load.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const node = Deno.args[0] ?? "master-01";
const { config } = await loadConfig(`${ROOT}configs`, { full: true });
const entry = config.cluster.nodes.find((n) => n.name === node);
if (!entry) {
  console.error(
    `no node ${node} in configs/cluster.yaml; choose one of: ${config.cluster.nodes.map((n) => n.name).join(", ")}`,
  );
  Deno.exit(2);
}

const work = `${ROOT}demo-root`;
const root = `${work}/${node}`;
await Deno.remove(root, { recursive: true }).catch(() => {});
await Deno.mkdir(root, { recursive: true });
const facts = `${work}/${node}.facts.json`;
const log = `${work}/${node}.systemctl.log`;
const state = `${work}/${node}.systemctl.state`;
for (const path of [log, state]) await Deno.remove(path).catch(() => {});
// The facts a machine with this node's network card would show; detection matches them against cluster.yaml.
await Deno.writeTextFile(
  facts,
  JSON.stringify({
    cmdline: "quiet",
    hostname: "debian",
    interfaces: [{ name: "ens3", mac: entry.mac, addresses: [] }],
  }),
);

const run = async (title: string, args: string[]) => {
  console.log(`\n$ clusterboot ${args.join(" ")}    # ${title}`);
  const { code } = await new Deno.Command(`${ROOT}dist/clusterboot`, {
    args,
    env: {
      PATH: `${ROOT}tests/support:${Deno.env.get("PATH")}`,
      SYSTEMCTL_LOG: log,
      SYSTEMCTL_STATE: state,
    },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  console.log(`(exit ${code})`);
  return code;
};

// The daemons' users, as the image's packages create them: boot gives them their keys.
await Deno.mkdir(`${root}/etc`, { recursive: true });
const users = ["etcd", "ceph", "mosquitto", "kafka", "coredns"].map((u, i) => [u, 900 + i] as const);
await Deno.writeTextFile(
  `${root}/etc/passwd`,
  ["root:x:0:0:root:/root:/bin/sh", ...users.map(([u, id]) => `${u}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`)]
    .join("\n") + "\n",
);
await Deno.writeTextFile(
  `${root}/etc/group`,
  ["root:x:0:", ...users.map(([u, id]) => `${u}:x:${id}:`)].join("\n") + "\n",
);

const secrets = `${work}/secrets`;
if (
  await run("the cluster's keys, made once (kept on later runs)", [
    "pki",
    "init",
    "--config",
    `${ROOT}configs`,
    "--out",
    secrets,
  ]) !== 0
) {
  Deno.exit(1);
}
const boot = [
  "boot",
  "--config",
  `${ROOT}configs`,
  "--secrets",
  secrets,
  "--root",
  root,
  "--facts",
  facts,
  "--activate",
];
console.log(`\nBooting ${node} (MAC ${entry.mac}) into ${root}`);
if (await run("first boot", boot) !== 0) Deno.exit(1);
console.log(`\nsystemctl calls (stand-in):\n${await Deno.readTextFile(log)}`);
await run("second boot: nothing to write, nothing to start", boot);
await run("what a unit's ExecStartPre runs", ["render", "--service", "kubelet", "--root", root]);
console.log(`\nThe node's files are under ${root}; its identity:`);
console.log(await Deno.readTextFile(`${root}/etc/cluster-config/node-identity`));
