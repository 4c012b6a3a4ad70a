/**
 * The Kubernetes control plane from our rendered configuration, built from the Kubernetes Go modules at the pinned
 * version (tools/build-kubernetes.sh): etcd on three masters, kube-apiserver, kube-controller-manager and
 * kube-scheduler on the first, each started as its unit would start it. The API server answers /readyz to our admin
 * kubeconfig, the controller manager and the scheduler take their leases, and the Node authorizer with
 * NodeRestriction lets a kubelet's certificate create its own Node and not another's. containerd accepts our
 * config and serves on its socket; the kubelet accepts our KubeletConfiguration.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadConfig } from "../../src/config/load.ts";
import { prepareCluster } from "../support/cluster.ts";
import { virtualNetwork } from "../support/netns.ts";
import { nodeSandbox } from "../support/node_sandbox.ts";
import { type Daemon, runCommand, startDaemon } from "../support/process.ts";
import { startUnit } from "../support/unit_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TRIO = `${ROOT}tests/fixtures/clusters/trio`;
const MASTERS = ["master-1", "master-2", "master-3"];

/** The directory of the built Kubernetes binaries (KUBERNETES_BIN, else built or found by the build script). */
async function kubernetesBinaries(): Promise<string> {
  const given = Deno.env.get("KUBERNETES_BIN");
  if (given) return given;
  const built = await runCommand(["bash", `${ROOT}tools/build-kubernetes.sh`]);
  if (built.code !== 0) throw new Error(`building Kubernetes failed:\n${built.stderr}`);
  return built.stdout.trim().split("\n").at(-1)!;
}

const bin = await kubernetesBinaries();
const BINARIES = Object.fromEntries(
  ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"].map((
    b,
  ) => [`/usr/local/bin/${b}`, `${bin}/${b}`]),
);

/** CoreDNS built from its Go module at the pinned version (tools/build-coredns.sh). */
async function corednsBinary(): Promise<string> {
  const built = await runCommand(["bash", `${ROOT}tools/build-coredns.sh`]);
  if (built.code !== 0) throw new Error(`building CoreDNS failed:\n${built.stderr}`);
  return built.stdout.trim().split("\n").at(-1)!;
}

/** Client credentials from a kubeconfig file, written out for curl. */
async function credentials(kubeconfig: string, dir: string) {
  const config = parse(await Deno.readTextFile(kubeconfig));
  const files = {
    ca: config.clusters[0].cluster["certificate-authority-data"],
    cert: config.users[0].user["client-certificate-data"],
    key: config.users[0].user["client-key-data"],
  };
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}.pem`, atob(data));
  return { server: config.clusters[0].cluster.server as string, dir };
}

Deno.test("kubernetes: API server ready with our admin kubeconfig, leases taken, nodes restricted to themselves", async () => {
  const { config } = await loadConfig(TRIO, { full: true });
  const work = await Deno.makeTempDir({ prefix: "clusterboot-k8s-" });
  const daemons: Daemon[] = [];
  try {
    const cluster = await prepareCluster(TRIO, work, MASTERS);
    // The gateway of trio's network is the upstream name server of dns.yaml: here a stand-in CoreDNS that knows
    // one outside name.
    await using network = await virtualNetwork([
      ...config.cluster.nodes.filter((n) => MASTERS.includes(n.name)),
      { name: "gateway", ip: config.cluster.network.gateway },
    ]);
    await using sandboxes = new AsyncDisposableStack();
    const nodes = Object.fromEntries(
      await Promise.all(
        MASTERS.map(async (
          m,
        ) => [m, sandboxes.use(await nodeSandbox(network, m, cluster.roots[m], `${work}/state/${m}`))]),
      ),
    );
    const first = nodes["master-1"];
    // Before etcd runs, the API server's pre-start refuses with one clear message instead of a crash loop.
    await assert.rejects(
      () => startUnit(first, "kube-apiserver.service", { binaries: BINARIES }),
      /kube-apiserver cannot start: no etcd member answers \(10\.30\.0\.11:2379, 10\.30\.0\.12:2379, 10\.30\.0\.13:2379\)/,
    );
    daemons.push(...await Promise.all(MASTERS.map((m) => startUnit(nodes[m], "etcd.service"))));
    // Its pre-start waits for etcd to answer before letting the API server start.
    const apiserver = await startUnit(first, "kube-apiserver.service", { binaries: BINARIES });
    daemons.push(apiserver);

    const curl = async (creds: { server: string; dir: string }, method: string, path: string, body?: unknown) => {
      const args = [
        "curl",
        "-sS",
        "-o",
        "-",
        "-w",
        "\n%{http_code}",
        "--max-time",
        "10",
        "-X",
        method,
        "--cacert",
        `${creds.dir}/ca.pem`,
        "--cert",
        `${creds.dir}/cert.pem`,
        "--key",
        `${creds.dir}/key.pem`,
        ...(body ? ["-H", "Content-Type: application/json", "--data", JSON.stringify(body)] : []),
        `${creds.server}${path}`,
      ];
      const out = await runCommand(first.client(args));
      const lines = out.stdout.trimEnd().split("\n");
      return { status: Number(lines.pop()), body: lines.join("\n"), stderr: out.stderr };
    };
    const admin = await credentials(`${cluster.roots["master-1"]}/etc/kubernetes/admin.conf`, `${work}/admin`);
    assert.equal(admin.server, "https://10.30.0.11:6443");
    const deadline = Date.now() + 90_000;
    let ready = await curl(admin, "GET", "/readyz");
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      ready = await curl(admin, "GET", "/readyz");
    }
    assert.equal(ready.status, 200, `${ready.body}${ready.stderr}\n${apiserver.output().slice(-3000)}`);
    assert.equal(ready.body, "ok");

    daemons.push(
      await startUnit(first, "kube-controller-manager.service", { binaries: BINARIES }),
      await startUnit(first, "kube-scheduler.service", { binaries: BINARIES }),
    );
    for (const lease of ["kube-controller-manager", "kube-scheduler"]) {
      let holder = "";
      const until = Date.now() + 60_000;
      while (!holder && Date.now() < until) {
        const got = await curl(admin, "GET", `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${lease}`);
        if (got.status === 200) holder = JSON.parse(got.body).spec?.holderIdentity ?? "";
        if (!holder) await new Promise((r) => setTimeout(r, 1000));
      }
      assert.match(holder, /^master-1_/, `${lease} lease: ${holder || "not taken"}`);
    }

    // cluster-addons.service applies the cluster's objects; a second run changes nothing.
    const addons = async () => {
      const unit = await startUnit(first, "cluster-addons.service");
      const status = await unit.process.status;
      await unit.stop();
      assert.equal(status.code, 0, unit.output());
      return unit.output();
    };
    const applied = await addons();
    assert.match(applied, /applied ClusterRoleBinding clusterboot:kubelet-bootstrap/);
    const tokenId = (await Deno.readTextFile(`${work}/secrets/bootstrap-token/token`)).split(".")[0];
    const secretPath = `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${tokenId}`;
    const stored = await curl(admin, "GET", secretPath);
    assert.equal(stored.status, 200, stored.body);
    assert.equal(JSON.parse(stored.body).type, "bootstrap.kubernetes.io/token");
    assert.doesNotMatch(
      applied,
      new RegExp((await Deno.readTextFile(`${work}/secrets/bootstrap-token/token`)).trim().split(".")[1]),
    );
    for (
      const binding of ["clusterboot:kubelet-bootstrap", "clusterboot:node-autoapprove-bootstrap", "system:coredns"]
    ) {
      const got = await curl(admin, "GET", `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${binding}`);
      assert.equal(got.status, 200, `${binding}: ${got.body}`);
    }
    const version = JSON.parse(stored.body).metadata.resourceVersion;
    await addons();
    assert.equal(JSON.parse((await curl(admin, "GET", secretPath)).body).metadata.resourceVersion, version);

    // Cluster DNS on master-1 (its dns-server): node names, the API name, the Kubernetes zone read from the API
    // with CoreDNS's own kubeconfig, and everything else forwarded to the upstream.
    const corefile = `${work}/upstream.Corefile`;
    await Deno.writeTextFile(corefile, ".:53 {\n    hosts {\n        203.0.113.7 outside.example\n    }\n}\n");
    const coredns = await corednsBinary();
    daemons.push(startDaemon(network.exec("gateway", [coredns, "-conf", corefile])));
    daemons.push(await startUnit(first, "coredns.service", { binaries: { "/usr/local/bin/coredns": coredns } }));
    const dig = async (name: string) => {
      const until = Date.now() + 30_000;
      let answer = "";
      while (Date.now() < until) {
        answer = (await runCommand(first.client(["dig", "@10.30.0.11", name, "+short", "+time=2", "+tries=1"])))
          .stdout.trim();
        if (answer && !answer.startsWith(";")) return answer;
        await new Promise((r) => setTimeout(r, 500));
      }
      return answer;
    };
    for (const n of config.cluster.nodes) assert.equal(await dig(`${n.hostname}.trio.internal`), n.ip, n.name);
    assert.deepEqual((await dig("api.trio.internal")).split("\n").sort(), ["10.30.0.11", "10.30.0.12", "10.30.0.13"]);
    assert.equal(await dig("kubernetes.default.svc.cluster.local"), "10.96.0.1");
    assert.equal(await dig("outside.example"), "203.0.113.7");

    // A kubelet's certificate: its own Node yes, another's no.
    const kubelet = await credentials(`${work}/secrets/kubelet-node-1/kubeconfig`, `${work}/kubelet-node-1`);
    const node = (name: string) => ({ apiVersion: "v1", kind: "Node", metadata: { name } });
    const own = await curl({ ...kubelet, server: admin.server }, "POST", "/api/v1/nodes", node("node-1"));
    assert.equal(own.status, 201, own.body);
    const other = await curl({ ...kubelet, server: admin.server }, "POST", "/api/v1/nodes", node("node-2"));
    assert.equal(other.status, 403, other.body);
    assert.match(other.body, /node-2|not allowed|forbidden/i);
    const read = await curl(admin, "GET", "/api/v1/nodes/node-1");
    assert.equal(read.status, 200);
  } finally {
    await Promise.all(daemons.map((d) => d.stop()));
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("containerd: our config passes `config dump` with our values, and containerd serves on its socket", async () => {
  const work = await Deno.makeTempDir({ prefix: "clusterboot-containerd-" });
  try {
    const { config } = await loadConfig(TRIO, { full: true });
    const cluster = await prepareCluster(TRIO, work, ["node-1"]);
    const rendered = `${cluster.roots["node-1"]}/etc/containerd/config.toml`;
    const dump = await runCommand(["containerd", "--config", rendered, "config", "dump"]);
    assert.equal(dump.code, 0, dump.stderr);
    // `config dump` ignores unknown keys (FACTS.md): the values must be there, as we wrote them.
    assert.match(dump.stdout, /sandbox_image = "registry\.k8s\.io\/pause:3\.10"/);
    assert.match(dump.stdout, /SystemdCgroup = true/);
    assert.match(dump.stdout, /address = "\/run\/containerd\/containerd\.sock"/);
    assert.match(dump.stdout, /default_runtime_name = "runc"/);

    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => n.name === "node-1"));
    await using node = await nodeSandbox(network, "node-1", cluster.roots["node-1"], `${work}/state`);
    await using containerd = await startUnit(node, "containerd.service");
    const ctr = (...args: string[]) =>
      runCommand(node.command(["ctr", "--address", "/run/containerd/containerd.sock", ...args]));
    let version = await ctr("version");
    const until = Date.now() + 20_000;
    while (version.code !== 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      version = await ctr("version");
    }
    assert.equal(version.code, 0, version.stderr + containerd.output());
    assert.match(version.stdout, /Server:\s+Version:/);
    const plugins = await ctr("plugins", "ls");
    assert.match(plugins.stdout, /io\.containerd\.grpc\.v1\s+cri\s+.*ok/, plugins.stdout);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("kubelet: the kubelet accepts our KubeletConfiguration and flags, and refuses a broken one", async () => {
  const work = await Deno.makeTempDir({ prefix: "clusterboot-kubelet-" });
  try {
    const { config } = await loadConfig(TRIO, { full: true });
    const cluster = await prepareCluster(TRIO, work, ["node-1"]);
    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => n.name === "node-1"));
    await using node = await nodeSandbox(network, "node-1", cluster.roots["node-1"], `${work}/state`);
    // The kubelet validates its configuration file before anything else; past it, it logs its version and goes on
    // to its container runtime (which this test does not run). Run it for a few seconds and read what it said.
    const runKubelet = async () => {
      const kubelet = await startUnit(node, "kubelet.service", { binaries: BINARIES });
      const until = Date.now() + 15_000;
      while (Date.now() < until && !/Kubelet version|failed to validate|Error:/.test(kubelet.output())) {
        await new Promise((r) => setTimeout(r, 200));
      }
      await kubelet.stop();
      return kubelet.output();
    };
    const accepted = await runKubelet();
    assert.doesNotMatch(accepted, /unknown flag/i);
    // Validation reports every problem in one message. This machine has cgroup v1, which the kubelet refuses as a
    // host, not as a configuration (the nodes run cgroup v2); any other complaint would be about our file.
    const complaint = /failed to validate kubelet configuration, error: (.*?), path:/.exec(accepted)?.[1];
    if (complaint !== undefined) {
      assert.equal(
        complaint,
        "kubelet is configured to not run on a host using cgroup v1. cgroup v1 support is unsupported and will be removed in a future release",
      );
    } else {
      assert.match(accepted, /Kubelet version/, accepted.slice(-2000));
    }

    // The same run with a value the kubelet must refuse: proof that the check above can fail.
    const path = `${cluster.roots["node-1"]}/var/lib/kubelet/config.yaml`;
    await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace("maxPods: 110", "maxPods: -5"));
    const refused = await runCommand(
      node.command(["sh", "-c", `exec ${bin}/kubelet --config /var/lib/kubelet/config.yaml`]),
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /failed to validate kubelet configuration, error: .*maxPods/);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
