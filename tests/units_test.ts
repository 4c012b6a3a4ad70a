/**
 * The systemd units in units/: the set is complete, systemd 252 accepts every line of them, the wiring the program
 * relies on (env files, render hooks, ordering, role targets) is there, each service's sandbox is measured against
 * its budget in units/security-budget.json, and every sandboxing exception carries a comment saying why.
 *
 * `systemd-analyze verify` treats a missing ExecStart binary as fatal, and the daemons are not installed here. So
 * the units are checked inside a scratch root (`--root=DIR`): the host's own systemd units (the same Debian 12
 * systemd 252 the image ships, for sysinit.target, network-online.target, ...), our units in /etc/systemd/system as
 * on a node, and an executable stand-in at every path our Exec*= lines name. A control test proves the harness is
 * honest: without a stand-in, and with a bad key, the same command fails.
 *
 * Run: `deno test --allow-all tests/units_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ALL_TARGETS, DAEMON_NAMES, type DaemonName, ROLES } from "../src/services/roles.ts";
import { DAEMONS } from "../src/services/registry.ts";

const UNITS_DIR = new URL("../units/", import.meta.url).pathname;
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";
/** Where the image's distribution units live; copied from the host into the scratch root. */
const HOST_UNITS = "/usr/lib/systemd/system";

const SERVICES = [
  "containerd.service",
  "etcd.service",
  "kube-apiserver.service",
  "kube-controller-manager.service",
  "kube-scheduler.service",
  "kubelet.service",
  "kafka.service",
  "ceph-mon@.service",
  "ceph-osd@.service",
  "mosquitto.service",
  "coredns.service",
];
const TARGETS = [
  "kubernetes-master.target",
  "kubernetes-worker.target",
  "kafka.target",
  "ceph-mon.target",
  "ceph-osd.target",
  "mqtt.target",
  "dns.target",
];
const DETECT = "cluster-detect.service";
/** Applies the cluster's API objects on masters; pulled in by kubernetes-master.target. */
const ADDONS = "cluster-addons.service";
const ALL_UNITS = [...SERVICES, ...TARGETS, DETECT, ADDONS];

/** Daemons run as template instances that clusterboot starts itself (ceph-mon@<hostname>, ceph-osd@<id>). */
const TEMPLATED = new Set<DaemonName>(["ceph-mon", "ceph-osd"]);

function unitOf(daemon: DaemonName): string {
  return TEMPLATED.has(daemon) ? `${daemon}@.service` : `${daemon}.service`;
}

/** What each daemon's ExecStart runs, and the env-file variables it must use (unbraced = split into words). */
const EXEC_START: Record<DaemonName, { binary: string; uses: string[] }> = {
  "containerd": { binary: "/usr/bin/containerd", uses: ["--config ${CONTAINERD_CONFIG}"] },
  "etcd": { binary: "/usr/bin/etcd", uses: [] },
  "kube-apiserver": { binary: "/usr/local/bin/kube-apiserver", uses: [" $KUBE_APISERVER_ARGS"] },
  "kube-controller-manager": {
    binary: "/usr/local/bin/kube-controller-manager",
    uses: [" $KUBE_CONTROLLER_MANAGER_ARGS"],
  },
  "kube-scheduler": { binary: "/usr/local/bin/kube-scheduler", uses: [" $KUBE_SCHEDULER_ARGS"] },
  "kubelet": { binary: "/usr/local/bin/kubelet", uses: [" $KUBELET_ARGS"] },
  "kafka": { binary: "/usr/bin/java", uses: [`-cp "/opt/kafka/libs/*" kafka.Kafka \${KAFKA_CONFIG}`] },
  "ceph-mon": {
    binary: "/usr/bin/ceph-mon",
    uses: ["-f --cluster ${CLUSTER} --id %i --setuser ceph --setgroup ceph"],
  },
  "ceph-osd": {
    binary: "/usr/bin/ceph-osd",
    uses: ["-f --cluster ${CLUSTER} --id %i --setuser ceph --setgroup ceph"],
  },
  "mosquitto": { binary: "/usr/sbin/mosquitto", uses: ["-c ${MOSQUITTO_CONFIG}"] },
  "coredns": { binary: "/usr/local/bin/coredns", uses: ["-conf ${COREDNS_CONFIG}"] },
};

// ---------------------------------------------------------------------------------------------------------------
// Reading unit files

/** A unit file as sections of (key, value) pairs in file order; keys may repeat. */
type UnitFile = Map<string, [string, string][]>;

function parseUnit(text: string): UnitFile {
  const sections: UnitFile = new Map();
  let current: [string, string][] | undefined;
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = pending + raw.trim();
    pending = "";
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.endsWith("\\")) {
      pending = line.slice(0, -1) + " ";
      continue;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections.get(header[1]) ?? [];
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf("=");
    assert.ok(current && eq > 0, `not a key=value line inside a section: ${line}`);
    current.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return sections;
}

/** Every value of a key in a section, in order. */
function values(unit: UnitFile, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** The space-separated unit names of a list-valued key (Wants=, After=, ...), all its lines together. */
function names(unit: UnitFile, section: string, key: string): string[] {
  return values(unit, section, key).flatMap((v) => v.split(/\s+/)).filter(Boolean);
}

async function readUnit(name: string): Promise<UnitFile> {
  return parseUnit(await Deno.readTextFile(UNITS_DIR + name));
}

/** The executable of every Exec*= line, without systemd's prefixes (-, @, :, +, !). */
function execPaths(unit: UnitFile): string[] {
  return (unit.get("Service") ?? [])
    .filter(([key]) => key.startsWith("Exec"))
    .map(([, value]) => value.replace(/^[-@:+!]+/, "").split(/\s+/)[0]);
}

// ---------------------------------------------------------------------------------------------------------------
// Running systemd-analyze in a scratch root

interface Output {
  code: number;
  lines: string[];
}

async function analyze(args: string[]): Promise<Output> {
  const exists = await Deno.stat(SYSTEMD_ANALYZE).then(() => true, () => false);
  assert.ok(exists, `${SYSTEMD_ANALYZE} is missing: these tests need systemd's tools (Debian package systemd)`);
  const out = await new Deno.Command(SYSTEMD_ANALYZE, {
    args,
    env: { SYSTEMD_COLORS: "0", SYSTEMD_PAGER: "cat", LC_ALL: "C.UTF-8" },
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, lines: text.split("\n").map((l) => l.trimEnd()).filter(Boolean) };
}

async function run(command: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" }).output();
  assert.equal(out.code, 0, `${command} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

/**
 * A temporary root like a node's: merged /usr (Debian 12), the distribution's units, ours in /etc/systemd/system,
 * and a stand-in executable at every path our units execute. Removed when disposed.
 */
async function scratchRoot(): Promise<{ path: string; standIns: string[] } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "units_test_" });
  const root = {
    path,
    standIns: [] as string[],
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
  try {
    for (const dir of ["usr/bin", "usr/sbin", "usr/lib/systemd", "etc/systemd/system"]) {
      await Deno.mkdir(`${path}/${dir}`, { recursive: true });
    }
    for (const link of ["bin", "sbin", "lib"]) await Deno.symlink(`usr/${link}`, `${path}/${link}`);
    await run("cp", ["-a", HOST_UNITS, `${path}/usr/lib/systemd/`]);
    const standIns = new Set<string>();
    for (const name of ALL_UNITS) {
      await Deno.copyFile(UNITS_DIR + name, `${path}/etc/systemd/system/${name}`);
      for (const exe of execPaths(await readUnit(name))) standIns.add(exe);
    }
    for (const exe of standIns) {
      assert.ok(exe.startsWith("/"), `Exec*= paths must be absolute, got ${exe}`);
      const target = `${path}${exe}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(target, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    }
    root.standIns = [...standIns].sort();
    return root;
  } catch (error) {
    await root[Symbol.asyncDispose]();
    throw error;
  }
}

/** The units to verify: every file, plus the templates as clusterboot instantiates them. */
const VERIFY_UNITS = [...ALL_UNITS, "ceph-mon@storage-01.service", "ceph-osd@0.service"];

// ---------------------------------------------------------------------------------------------------------------
// Tests

Deno.test("units/ holds exactly the 20 units, and they match the role table of src/services/roles.ts", async () => {
  const present: string[] = [];
  for await (const entry of Deno.readDir(UNITS_DIR)) present.push(entry.name);
  // Besides the units, only their exposure budget (not installed: src/plan/units.ts names each unit it embeds).
  assert.deepEqual(present.sort(), [...ALL_UNITS, "security-budget.json"].sort());
  assert.equal(ALL_UNITS.length, 20);
  // The program's registry and the unit files name the same daemons and targets.
  assert.deepEqual(DAEMON_NAMES.map(unitOf).sort(), [...SERVICES].sort());
  assert.deepEqual([...ALL_TARGETS].sort(), [...TARGETS].sort());
  for (const name of ALL_UNITS) {
    const first = (await Deno.readTextFile(UNITS_DIR + name)).split("\n")[0];
    assert.match(first, /^# \S.{10,}/, `${name} must start with a one-line comment saying what it is`);
  }
});

Deno.test("systemd-analyze verify accepts every unit without a single warning", async () => {
  await using root = await scratchRoot();
  const out = await analyze(["verify", `--root=${root.path}`, ...VERIFY_UNITS]);
  // No output is filtered: in this scratch root the distribution's units load silently, so every line printed is
  // about our units (unknown keys and bad values are only warnings, exit 0 — they must fail the test too).
  assert.deepEqual(out.lines, [], `systemd-analyze verify printed:\n${out.lines.join("\n")}`);
  assert.equal(out.code, 0);
});

Deno.test("the verify harness fails on a missing binary and on a bad key (so its silence means something)", async () => {
  await using root = await scratchRoot();
  // A missing executable is fatal: proves --root is honoured and the stand-ins are what made verify pass.
  const etcd = `${root.path}/usr/bin/etcd`;
  assert.ok(root.standIns.includes("/usr/bin/etcd"));
  await Deno.remove(etcd);
  const missing = await analyze(["verify", `--root=${root.path}`, "etcd.service"]);
  assert.notEqual(missing.code, 0);
  assert.ok(
    missing.lines.some((l) => l.includes("/usr/bin/etcd") && l.includes("not executable")),
    missing.lines.join("\n"),
  );
  // An unknown key is only a warning (exit 0): the output, not the exit code, is what the test above checks.
  const unit = `${root.path}/etc/systemd/system/dns.target`;
  await Deno.writeTextFile(unit, (await Deno.readTextFile(unit)) + "Wnats=coredns.service\n");
  const bad = await analyze(["verify", `--root=${root.path}`, "dns.target"]);
  assert.ok(bad.lines.some((l) => l.includes("Unknown key 'Wnats'")), bad.lines.join("\n"));
});

Deno.test("every service reads its env file, renders through clusterboot and runs its daemon", async () => {
  for (const daemon of DAEMON_NAMES) {
    const name = unitOf(daemon);
    const unit = await readUnit(name);
    assert.deepEqual(
      values(unit, "Service", "EnvironmentFile"),
      [`/etc/cluster-config/environment/${daemon}.env`],
      name,
    );
    const service = TEMPLATED.has(daemon) ? `${daemon}@%i` : daemon;
    assert.ok(
      values(unit, "Service", "ExecStartPre").includes(`+/usr/local/bin/clusterboot render --service ${service}`),
      `${name}: ExecStartPre=+/usr/local/bin/clusterboot render --service ${service}`,
    );
    const [start, ...more] = values(unit, "Service", "ExecStart");
    assert.equal(more.length, 0, `${name}: one ExecStart=`);
    assert.equal(start.split(/\s+/)[0], EXEC_START[daemon].binary, name);
    for (const use of EXEC_START[daemon].uses) assert.ok(start.includes(use), `${name}: ExecStart= has "${use}"`);
    assert.ok(names(unit, "Unit", "Wants").includes("network-online.target"), `${name} Wants network-online`);
    for (const after of ["network-online.target", "cluster-detect.service"]) {
      assert.ok(names(unit, "Unit", "After").includes(after), `${name} After=${after}`);
    }
    assert.ok(values(unit, "Service", "Restart").length === 1, `${name}: Restart=`);
    assert.ok(values(unit, "Service", "RestartSec").length === 1, `${name}: RestartSec=`);
  }
});

Deno.test("every daemon's state directories (a data disk's bind mounts) stay mounted until it has stopped", async () => {
  for (const daemon of DAEMON_NAMES) {
    const unit = await readUnit(unitOf(daemon));
    // StateDirectory= implies RequiresMountsFor= on /var/lib/<dir>.
    const held = [
      ...values(unit, "Unit", "RequiresMountsFor").flatMap((v) => v.split(/\s+/)),
      ...values(unit, "Service", "StateDirectory").flatMap((v) => v.split(/\s+/)).map((dir) => `/var/lib/${dir}`),
    ];
    for (const dir of DAEMONS[daemon].dataDirs) {
      assert.ok(held.includes(dir), `${unitOf(daemon)}: RequiresMountsFor=${dir} (or StateDirectory=)`);
    }
  }
});

Deno.test("start order: containerd, etcd, API server, the rest; OSDs after monitors", async () => {
  const after = async (name: string) => names(await readUnit(name), "Unit", "After");
  assert.ok((await after("kubelet.service")).includes("containerd.service"));
  assert.ok((await after("kubelet.service")).includes("kube-apiserver.service"));
  assert.ok((await after("kube-apiserver.service")).includes("etcd.service"));
  assert.ok((await after("kube-controller-manager.service")).includes("kube-apiserver.service"));
  assert.ok((await after("kube-scheduler.service")).includes("kube-apiserver.service"));
  assert.ok((await after("ceph-osd@.service")).includes("ceph-mon.target"));
  // ceph-mon.target is reached after the monitor instances, which is what orders the OSDs after them.
  assert.ok(names(await readUnit("ceph-mon@.service"), "Unit", "Before").includes("ceph-mon.target"));
  // After= only between Ceph daemons: an OSD node need not run a monitor.
  for (const key of ["Wants", "Requires", "BindsTo", "Requisite"]) {
    assert.deepEqual(
      names(await readUnit("ceph-osd@.service"), "Unit", key).filter((n) => n.startsWith("ceph-mon")),
      [],
    );
  }
});

Deno.test("each role target pulls in its daemons; template instances are PartOf their target", async () => {
  for (const role of Object.values(ROLES)) {
    const wants = names(await readUnit(role.target), "Unit", "Wants");
    for (const daemon of role.daemons) {
      if (TEMPLATED.has(daemon)) {
        const template = await readUnit(unitOf(daemon));
        assert.ok(names(template, "Unit", "PartOf").includes(role.target), `${unitOf(daemon)} PartOf=${role.target}`);
        assert.ok(!wants.includes(unitOf(daemon)), `${role.target} cannot want a bare template`);
      } else {
        assert.ok(wants.includes(unitOf(daemon)), `${role.target} Wants=${unitOf(daemon)}`);
      }
    }
    // Nothing beyond the role's daemons (and, on masters, the unit applying the cluster's API objects).
    const extra = role.target === "kubernetes-master.target" ? [ADDONS] : [];
    assert.deepEqual(wants.filter((w) => !role.daemons.map(unitOf).includes(w) && !extra.includes(w)), [], role.target);
  }
});

Deno.test("cluster-detect.service runs early, before the network, and starts targets without requiring them", async () => {
  const unit = await readUnit(DETECT);
  assert.deepEqual(values(unit, "Unit", "DefaultDependencies"), ["no"]);
  const before = names(unit, "Unit", "Before");
  assert.ok(before.includes("network-pre.target"));
  assert.ok(before.includes("systemd-networkd.service"));
  assert.ok(names(unit, "Unit", "Wants").includes("network-pre.target"));
  assert.ok(names(unit, "Unit", "After").includes("local-fs.target"));
  assert.deepEqual(values(unit, "Unit", "ConditionPathExists"), ["/etc/cluster-config/cluster.yaml"]);
  assert.deepEqual(values(unit, "Service", "Type"), ["oneshot"]);
  assert.deepEqual(values(unit, "Service", "RemainAfterExit"), ["yes"]);
  assert.deepEqual(values(unit, "Service", "ExecStart"), ["/usr/local/bin/clusterboot boot"]);
  assert.deepEqual(values(unit, "Service", "StandardOutput"), ["journal+console"]);
  assert.deepEqual(values(unit, "Service", "StandardError"), ["journal+console"]);
  assert.ok(values(unit, "Install", "WantedBy").length > 0, "an [Install] section so the image can enable it");
  for (const key of ["Requires", "Wants", "BindsTo", "Requisite", "Upholds"]) {
    const pulled = names(unit, "Unit", key).filter((n) => TARGETS.includes(n) || SERVICES.includes(n));
    assert.deepEqual(pulled, [], `${DETECT} must not ${key}= role targets or daemons`);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Sandboxing: every exception explained, every exposure within its budget

/**
 * The sandboxing settings every service is measured against, each with what makes a value fall short of fully
 * hardened: the words an explaining comment may name (empty: only the key's own name, or a comment right above,
 * explains it). Absent settings fall short too (systemd's defaults are open), except where `absent` says otherwise.
 */
const HARDENING: Record<string, (values: string[]) => string[] | undefined> = {
  User: (v) => (v.at(-1) && v.at(-1) !== "root" ? undefined : ["root"]),
  NoNewPrivileges: yes,
  // Lists add up over their lines; an empty assignment resets them.
  CapabilityBoundingSet: (v) => {
    const reset = v.lastIndexOf("");
    const caps = words(reset < 0 ? v : v.slice(reset + 1));
    return v.length && !caps.length ? undefined : caps;
  },
  ProtectSystem: (v) => (v.at(-1) === "strict" ? undefined : []),
  ProtectHome: yes,
  PrivateTmp: yes,
  PrivateDevices: yes,
  PrivateIPC: yes,
  PrivateUsers: yes,
  ProtectHostname: yes,
  ProtectClock: yes,
  ProtectKernelTunables: yes,
  ProtectKernelModules: yes,
  ProtectKernelLogs: yes,
  ProtectControlGroups: yes,
  ProtectProc: (v) => (v.at(-1) === "invisible" ? undefined : []),
  ProcSubset: (v) => (v.at(-1) === "pid" ? undefined : []),
  RestrictAddressFamilies: (v) => {
    const extra = words(v).filter((f) => !["AF_UNIX", "AF_INET", "AF_INET6"].includes(f));
    return v.length && !extra.length ? undefined : extra;
  },
  RestrictNamespaces: yes,
  RestrictRealtime: yes,
  RestrictSUIDSGID: yes,
  LockPersonality: yes,
  MemoryDenyWriteExecute: yes,
  SystemCallArchitectures: (v) => (v.at(-1) === "native" ? undefined : []),
  // Allowed: @system-service; denied besides (a line starting with ~): @privileged and @resources. The groups not
  // denied are the shortfall.
  SystemCallFilter: (v) => {
    if (!v.some((line) => !line.startsWith("~") && words([line]).includes("@system-service"))) return [];
    const denied = words(v.filter((line) => line.startsWith("~")).map((line) => line.slice(1)));
    const missing = ["@privileged", "@resources"].filter((group) => !denied.includes(group));
    return missing.length ? missing : undefined;
  },
};

/** A yes/no setting: the last assignment counts. */
function yes(values: string[]): string[] | undefined {
  return values.at(-1) === "yes" ? undefined : [];
}

function words(values: string[]): string[] {
  return values.flatMap((v) => v.split(/\s+/)).filter(Boolean);
}

interface Shortfall {
  key: string;
  /** The setting's line (0-based), when it is set. */
  line?: number;
  words: string[];
}

/** The settings of a service's [Service] section that fall short of HARDENING. */
function shortfalls(text: string): Shortfall[] {
  const lines = text.split("\n");
  const found = new Map<string, { line: number; values: string[] }>();
  let section = "";
  lines.forEach((raw, line) => {
    const header = /^\[(.+)\]$/.exec(raw.trim());
    if (header) section = header[1];
    const setting = /^(\w+)=(.*)$/.exec(raw.trim());
    if (section !== "Service" || !setting || !(setting[1] in HARDENING)) return;
    const entry = found.get(setting[1]) ?? { line, values: [] };
    entry.values.push(setting[2].trim());
    entry.line = line;
    found.set(setting[1], entry);
  });
  const out: Shortfall[] = [];
  for (const [key, judge] of Object.entries(HARDENING)) {
    const entry = found.get(key);
    const short = judge(entry?.values ?? []);
    if (short) out.push({ key, line: entry?.line, words: short });
  }
  return out;
}

/**
 * Whether a comment of the unit explains a shortfall: the unit says it is not sandboxed at all, or a comment names
 * the key (or a family such as `ProtectKernel*`), or names every word of it (`AF_NETLINK`, `@privileged`), or sits
 * right above the setting's line.
 */
function explained(shortfall: Shortfall, text: string): boolean {
  const lines = text.split("\n");
  const comments = lines.filter((l) => l.trimStart().startsWith("#")).join("\n");
  if (/not sandboxed/i.test(comments)) return true;
  if (new RegExp(`\\b${shortfall.key}\\b`).test(comments)) return true;
  const families = [...comments.matchAll(/\b([A-Z]\w+)\*/g)].map((m) => m[1]);
  if (families.some((f) => shortfall.key.startsWith(f))) return true;
  if (shortfall.words.length && shortfall.words.every((w) => comments.includes(w))) return true;
  return shortfall.line !== undefined && shortfall.line > 0 && lines[shortfall.line - 1].trimStart().startsWith("#");
}

Deno.test("every sandboxing exception of a service is explained by a comment in its unit", async () => {
  const unexplained: string[] = [];
  let total = 0;
  for (const name of ALL_UNITS.filter((n) => n.endsWith(".service"))) {
    const text = await Deno.readTextFile(UNITS_DIR + name);
    for (const shortfall of shortfalls(text)) {
      total++;
      if (!explained(shortfall, text)) {
        unexplained.push(`${name}: ${shortfall.key}${shortfall.words.length ? ` (${shortfall.words.join(" ")})` : ""}`);
      }
    }
  }
  console.log(`unit exceptions: ${total} found, ${total - unexplained.length} explained, ${unexplained.length} not`);
  assert.deepEqual(unexplained, [], "sandboxing exceptions without a comment saying why");
});

Deno.test("the exception check itself: an unexplained shortfall is caught, a comment clears it", () => {
  const unit = "[Service]\nExecStart=/bin/x\nNoNewPrivileges=yes\nRestrictAddressFamilies=AF_UNIX AF_NETLINK\n";
  const found = shortfalls(unit);
  assert.ok(found.some((s) => s.key === "ProtectSystem" && s.line === undefined));
  const netlink = found.find((s) => s.key === "RestrictAddressFamilies")!;
  assert.deepEqual(netlink.words, ["AF_NETLINK"]);
  assert.ok(!found.some((s) => s.key === "NoNewPrivileges"));
  assert.equal(explained(netlink, unit), false);
  assert.equal(explained(netlink, `# AF_NETLINK: it lists interfaces.\n${unit}`), true);
  const system = found.find((s) => s.key === "ProtectSystem")!;
  assert.equal(explained(system, `# No ProtectSystem: it writes /usr.\n${unit}`), true);
  assert.equal(explained(system, `# No ProtectKernel*: unrelated.\n${unit}`), false);
});

/** Each service's highest allowed exposure, and why where it is above 5.0 (units/security-budget.json). */
const BUDGET_FILE = `${UNITS_DIR}security-budget.json`;
/** A budget more than this above the measured exposure is stale: lower it, so a regression cannot hide in it. */
const SLACK = 0.5;

Deno.test("systemd-analyze security --offline: every service within its exposure budget", async () => {
  const budget: Record<string, { max: number; reason?: string }> = JSON.parse(await Deno.readTextFile(BUDGET_FILE))
    .units;
  await using root = await scratchRoot();
  const services = ALL_UNITS.filter((name) => name.endsWith(".service"));
  assert.deepEqual(Object.keys(budget).sort(), [...services].sort(), `${BUDGET_FILE} names every service once`);
  const results = await Promise.all(services.map(async (name) => {
    const out = await analyze(["security", "--offline=yes", `--root=${root.path}`, "--no-pager", name]);
    const score = out.lines.map((l) => /Overall exposure level for \S+: (\d+\.\d+) (\S+)/.exec(l)).find(Boolean);
    assert.equal(out.code, 0, `security ${name} failed:\n${out.lines.join("\n")}`);
    assert.ok(score, `security ${name} printed no exposure level:\n${out.lines.join("\n")}`);
    return { name, score: Number(score[1]), verdict: score[2], max: budget[name].max };
  }));
  console.log(
    results.map((r) =>
      `  ${r.score.toFixed(1).padStart(4)} ${r.verdict.padEnd(7)} (budget ${r.max.toFixed(1)}) ${r.name}`
    )
      .join("\n"),
  );
  const over = results.filter((r) => r.score > r.max);
  console.log(
    `unit exposure: ${results.length} services measured, ${
      results.length - over.length
    } within budget, ${over.length} over`,
  );
  for (const r of results) {
    assert.ok(r.score <= r.max, `${r.name}: exposure ${r.score} is above its budget ${r.max}`);
    assert.ok(r.max - r.score <= SLACK, `${r.name}: budget ${r.max} is stale, exposure is ${r.score}: lower it`);
    if (r.max > 5) assert.ok(budget[r.name].reason?.trim(), `${r.name}: a budget above 5.0 needs a reason`);
  }
});
