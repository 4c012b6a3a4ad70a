/**
 * Hostile configurations made by the test rather than committed: multi-megabyte files, deep nesting, alias bombs,
 * binary and mis-encoded bytes, empty files, symbolic links out of the config directory, FIFOs and sockets, and file
 * names with line breaks or terminal escapes. Each gets the checks of tests/bad_configs_test.ts (exit 2 within a
 * deadline, every expected problem at file:line:col, no stack trace, nothing written); the last test prints how
 * many were tried and handled, and the most time and memory one took.
 *
 * @module
 */
import assert from "node:assert/strict";
import { copyTree, EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";
import { assertRefused, type ExpectedDiagnostic, Tally } from "./support/bad_input.ts";

/** The peak memory any one refusal may take. */
const MEMORY_LIMIT_MIB = 512;

interface HostileCase {
  name: string;
  description: string;
  /**
   * Makes the configuration in `dir` (a copy of configs/ to start with) and says what must be reported; `scratch`
   * is a directory outside it, and `hold` keeps a resource open until the case is checked.
   */
  build(dir: string, scratch: string, hold: (resource: Disposable) => void): Promise<ExpectedDiagnostic[]>;
}

const CASES: HostileCase[] = [];
const hostile = (name: string, description: string, build: HostileCase["build"]) =>
  CASES.push({ name, description, build });

const encoder = new TextEncoder();
const example = (file: string) => Deno.readTextFileSync(`${EXAMPLE_CONFIG}/${file}`);
const write = (dir: string, file: string, content: string | Uint8Array) =>
  typeof content === "string"
    ? Deno.writeTextFile(`${dir}/${file}`, content)
    : Deno.writeFile(`${dir}/${file}`, content);

/** Line and column (1-based, in UTF-16 units as the parser counts) of the `nth` occurrence of `needle`. */
function positionOf(text: string, needle: string, nth = 0): { line: number; col: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" occurs fewer than ${nth + 1} times`);
  }
  const before = text.slice(0, at);
  return { line: before.split("\n").length, col: at - before.lastIndexOf("\n") };
}

const at = (file: string, text: string, needle: string, code: string, nth = 0): ExpectedDiagnostic => ({
  file,
  ...positionOf(text, needle, nth),
  code,
});
const whole = (file: string, code: string): ExpectedDiagnostic => ({ file, line: 1, col: 1, code });

/** A small deterministic generator (mulberry32), so random bytes are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(length: number, seed: number): Uint8Array {
  const next = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

/**
 * Where the first byte that is not UTF-8 is, as line and column of the text before it; found here by the rules of
 * UTF-8 (RFC 3629), independently of the decoder clusterboot uses.
 */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; col: number } {
  let i = 0;
  const continuation = (k: number) => k < bytes.length && (bytes[k] & 0xc0) === 0x80;
  while (i < bytes.length) {
    const b = bytes[i];
    let length = 0;
    let ok = true;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      // No overlong forms (E0 below A0) and no surrogates (ED from A0).
      ok = !(b === 0xe0 && bytes[i + 1] < 0xa0) && !(b === 0xed && bytes[i + 1] >= 0xa0);
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      ok = !(b === 0xf0 && bytes[i + 1] < 0x90) && !(b === 0xf4 && bytes[i + 1] >= 0x90);
    } else ok = false;
    for (let k = 1; ok && k < length; k++) ok = continuation(i + k);
    if (!ok) break;
    i += length;
  }
  assert.ok(i < bytes.length, "these bytes are valid UTF-8");
  const before = new TextDecoder().decode(bytes.subarray(0, i));
  return { line: before.split("\n").length, col: before.length - before.lastIndexOf("\n") };
}

// ---------------------------------------------------------------- huge files

hostile("huge-cluster-padded", "cluster.yaml padded to 5 MiB with comments", async (dir) => {
  await write(dir, "cluster.yaml", example("cluster.yaml") + "# padding padding padding padding\n".repeat(155_000));
  return [whole("cluster.yaml", "unreadable")];
});

hostile("huge-node-file", "a node file of 5 MiB of labels", async (dir) => {
  const labels = Array.from({ length: 150_000 }, (_, i) => `  example.com/l${i}: value-${i}`).join("\n");
  await write(dir, "nodes/worker-01.yaml", `apiVersion: clusterboot/v1\nlabels:\n${labels}\n`);
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("huge-total", "five node files of 3,500,000 bytes each: together over the limit", async (dir) => {
  for (const node of ["kafka-01", "master-01", "storage-01", "worker-01", "worker-02"]) {
    const text = example(`nodes/${node}.yaml`);
    await write(dir, `nodes/${node}.yaml`, text + "#".repeat(3_500_000 - text.length - 1) + "\n");
  }
  // cluster.yaml and services/ first, then nodes/ in order: the fifth node file passes the 16 MiB.
  return [whole("nodes/worker-02.yaml", "unreadable")];
});

hostile("big-map-repeated-key", "a label map of 40,000 keys whose last repeats the first", async (dir) => {
  const labels = Array.from({ length: 40_000 }, (_, i) => `  example.com/l${i}: v`).join("\n");
  const text = `apiVersion: clusterboot/v1\nlabels:\n${labels}\n  example.com/l0: again\n`;
  await write(dir, "nodes/worker-01.yaml", text);
  return [at("nodes/worker-01.yaml", text, "example.com/l0: again", "yaml-duplicate-key")];
});

hostile("long-line", "a label value of 900,000 characters on one line", async (dir) => {
  const text = `apiVersion: clusterboot/v1\nlabels:\n  example.com/big: ${"x".repeat(900_000)}\n`;
  await write(dir, "nodes/worker-01.yaml", text);
  return [at("nodes/worker-01.yaml", text, "xxx", "invalid-format")];
});

hostile("many-nodes", "cluster.yaml lists 6,000 more nodes (0.9 MiB) with no node files", async (dir) => {
  let text = example("cluster.yaml");
  for (let i = 0; i < 6_000; i++) {
    const ip = `10.20.${Math.floor(i / 250) + 1}.${(i % 250) + 2}`;
    const mac = `52:54:01:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`;
    text += `  - name: n${i}\n    hostname: n${i}\n    mac: "${mac}"\n    ip: ${ip}\n    roles: [worker]\n`;
  }
  await write(dir, "cluster.yaml", text);
  return [
    at("cluster.yaml", text, "10.244.0.0/16", "pod-network-too-small"),
    at("cluster.yaml", text, "n0\n", "node-file-missing"),
    at("cluster.yaml", text, "n5999\n", "node-file-missing"),
  ];
});

hostile("many-stray-node-files", "2,000 node files for nodes cluster.yaml does not list", async (dir) => {
  for (let i = 0; i < 2_000; i++) {
    await write(dir, `nodes/extra-${String(i).padStart(4, "0")}.yaml`, "apiVersion: clusterboot/v1\n");
  }
  return [whole("nodes/extra-0000.yaml", "node-not-listed"), whole("nodes/extra-1999.yaml", "node-not-listed")];
});

// ---------------------------------------------------------------- deep nesting

hostile("deep-flow-lists", "labels nests 100,000 flow lists", async (dir) => {
  await write(
    dir,
    "nodes/worker-01.yaml",
    `apiVersion: clusterboot/v1\nlabels: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`,
  );
  // The root map is level 1, the first [ (column 9) level 2: level 65 opens at column 72.
  return [{ file: "nodes/worker-01.yaml", line: 2, col: 72, code: "yaml-too-deep" }];
});

hostile("deep-flow-maps", "labels nests 20,000 flow maps", async (dir) => {
  await write(
    dir,
    "nodes/worker-01.yaml",
    `apiVersion: clusterboot/v1\nlabels: ${"{a: ".repeat(20_000)}1${"}".repeat(20_000)}\n`,
  );
  return [{ file: "nodes/worker-01.yaml", line: 2, col: 9 + 63 * 4, code: "yaml-too-deep" }];
});

hostile("deep-block-maps", "labels nests 300 block maps, one more space each", async (dir) => {
  const lines = Array.from({ length: 300 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`);
  await write(dir, "nodes/worker-01.yaml", `apiVersion: clusterboot/v1\nlabels:\n${lines.join("\n")} 1\n`);
  // Level 2 starts on line 3 at column 2; each line is one level deeper.
  return [{ file: "nodes/worker-01.yaml", line: 66, col: 65, code: "yaml-too-deep" }];
});

hostile("deep-block-lists", "a node's roles nest 300 block lists", async (dir) => {
  const text = example("cluster.yaml").replace(
    "    roles: [worker, mqtt-broker]\n",
    "    roles:\n" + Array.from({ length: 300 }, (_, i) => `${" ".repeat(6 + 2 * i)}-`).join("\n") + " worker\n",
  );
  await write(dir, "cluster.yaml", text);
  // nodes (2), the entry (3), roles (4) on the line after "roles:": level 65 is 61 lines further down.
  const roles = positionOf(text, "    roles:\n      -").line + 1;
  return [{ file: "cluster.yaml", line: roles + 61, col: 7 + 2 * 61, code: "yaml-too-deep" }];
});

hostile("nesting-at-the-limit", "labels nests 63 lists: not too deep, but not labels either", async (dir) => {
  await write(dir, "nodes/worker-01.yaml", `apiVersion: clusterboot/v1\nlabels: ${"[".repeat(63)}${"]".repeat(63)}\n`);
  return [{ file: "nodes/worker-01.yaml", line: 2, col: 9, code: "wrong-type" }];
});

// ---------------------------------------------------------------- alias bombs

/** The classic "billion laughs": `levels` anchors, each a list of nine aliases of the one before. */
function laughs(levels: number, key = (i: number) => `l${i}`): string {
  const lines = [`${key(0)}: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < levels; i++) lines.push(`${key(i)}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
  return lines.join("\n") + "\n";
}

hostile("billion-laughs-node", "a node file holds a billion laughs (9 levels of 9)", async (dir) => {
  const text = "apiVersion: clusterboot/v1\n" + laughs(9);
  await write(dir, "nodes/worker-01.yaml", text);
  return [at("nodes/worker-01.yaml", text, "*", "yaml-alias-limit", 50)];
});

hostile("billion-laughs-cluster", "cluster.yaml ends with a billion laughs under the nodes", async (dir) => {
  const text = example("cluster.yaml") + laughs(10, (i) => `x${i}`);
  await write(dir, "cluster.yaml", text);
  return [at("cluster.yaml", text, "*", "yaml-alias-limit", 50)];
});

hostile("laughs-under-the-alias-count", "labels holds 5 levels of 9: 36 aliases, 59,049 values", async (dir) => {
  const text = "apiVersion: clusterboot/v1\nlabels:\n" + laughs(5, (i) => `  example.com/l${i}`);
  await write(dir, "nodes/worker-01.yaml", text);
  // Few enough aliases to parse; expanding them is what is refused, at the first alias.
  return [at("nodes/worker-01.yaml", text, "*", "yaml-alias-limit")];
});

hostile("map-bomb", "anchored maps whose values alias the map before, nine times", async (dir) => {
  const lines = ["apiVersion: clusterboot/v1", "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"];
  for (let i = 1; i < 8; i++) {
    lines.push(`m${i}: &m${i} {${"abcdefghi".split("").map((k) => `${k}: *m${i - 1}`).join(", ")}}`);
  }
  const text = lines.join("\n") + "\n";
  await write(dir, "nodes/worker-01.yaml", text);
  return [at("nodes/worker-01.yaml", text, "*", "yaml-alias-limit", 50)];
});

hostile("alias-flood", "10,000 aliases of one scalar", async (dir) => {
  const text = `apiVersion: clusterboot/v1\nv: &v x\nl: [${Array(10_000).fill("*v").join(", ")}]\n`;
  await write(dir, "nodes/worker-01.yaml", text);
  return [at("nodes/worker-01.yaml", text, "*v", "yaml-alias-limit", 50)];
});

hostile("recursive-alias-deep", "an alias three levels inside the map its anchor names", async (dir) => {
  const text = example("nodes/storage-01.yaml").replace("ceph:\n", "ceph: &c\n  extra: {b: [*c]}\n");
  await write(dir, "nodes/storage-01.yaml", text);
  return [at("nodes/storage-01.yaml", text, "*c", "yaml-recursive-alias")];
});

// ---------------------------------------------------------------- binary and mis-encoded bytes

for (const [file, seed] of [["nodes/worker-01.yaml", 1], ["cluster.yaml", 2], ["services/kafka.yaml", 3]] as const) {
  hostile(`random-bytes-${seed}`, `${file} is 64 KiB of random bytes`, async (dir) => {
    const bytes = randomBytes(65_536, seed);
    await write(dir, file, bytes);
    return [{ file, ...firstInvalidUtf8(bytes), code: "not-utf8" }];
  });
}

hostile("gzip-bytes", "a node file is a gzip stream", async (dir) => {
  const stream = new Blob([example("nodes/worker-01.yaml").repeat(50)]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  await write(dir, "nodes/worker-01.yaml", bytes);
  return [{ file: "nodes/worker-01.yaml", ...firstInvalidUtf8(bytes), code: "not-utf8" }];
});

hostile("executable-bytes", "a node file is the start of an executable", async (dir) => {
  const runtime = new URL("../dist/lib/deno", import.meta.url).pathname;
  using file = await Deno.open(runtime);
  const bytes = new Uint8Array(65_536);
  await file.read(bytes);
  await write(dir, "nodes/master-01.yaml", bytes);
  return [{ file: "nodes/master-01.yaml", ...firstInvalidUtf8(bytes), code: "not-utf8" }];
});

const utf16 = (text: string, bigEndian: boolean) => {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, !bigEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + 2 * i, text.charCodeAt(i), !bigEndian);
  return bytes;
};
hostile("utf16-be", "services/dns.yaml saved as UTF-16, big-endian", async (dir) => {
  await write(dir, "services/dns.yaml", utf16(example("services/dns.yaml"), true));
  return [whole("services/dns.yaml", "not-utf8")];
});
hostile("utf32", "a node file saved as UTF-32", async (dir) => {
  const text = example("nodes/worker-02.yaml");
  const bytes = new Uint8Array(4 + 4 * text.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeff, true);
  for (let i = 0; i < text.length; i++) view.setUint32(4 + 4 * i, text.charCodeAt(i), true);
  await write(dir, "nodes/worker-02.yaml", bytes);
  return [{ file: "nodes/worker-02.yaml", ...firstInvalidUtf8(bytes), code: "not-utf8" }];
});

for (
  const [name, description, bad] of [
    ["overlong-slash", "an overlong encoding of '/' (C0 AF) in a device path", [0xc0, 0xaf]],
    ["utf8-surrogate", "a UTF-8-encoded surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
    ["byte-f5", "the byte F5, which UTF-8 never uses", [0xf5, 0x80, 0x80, 0x80]],
    ["lone-continuation", "a continuation byte with no lead byte", [0x80]],
    ["cut-sequence-at-end", "a three-byte sequence cut off by the end of the file", [0xe2, 0x82]],
  ] as const
) {
  hostile(name, description, async (dir) => {
    const text = example("nodes/worker-02.yaml");
    const cut = text.indexOf("/dev/vdb") + 4;
    const bytes = name === "cut-sequence-at-end"
      ? new Uint8Array([...encoder.encode(text), ...bad])
      : new Uint8Array([...encoder.encode(text.slice(0, cut)), ...bad, ...encoder.encode(text.slice(cut))]);
    await write(dir, "nodes/worker-02.yaml", bytes);
    return [{ file: "nodes/worker-02.yaml", ...firstInvalidUtf8(bytes), code: "not-utf8" }];
  });
}

hostile("nul-bytes", "a node file of NUL bytes", async (dir) => {
  await write(dir, "nodes/worker-01.yaml", new Uint8Array(4096));
  return [whole("nodes/worker-01.yaml", "wrong-type")];
});

for (
  const [name, description, from, to] of [
    [
      "bidi-override-name",
      "a node name holds a right-to-left override (U+202E)",
      "name: worker-02",
      "name: worker\u202e-02",
    ],
    ["zero-width-hostname", "a hostname holds a zero-width space", "hostname: worker-01", "hostname: worker\u200b-01"],
    ["homoglyph-name", "a node name uses a Cyrillic o", "name: storage-01", "name: st\u043erage-01"],
    ["escape-in-hostname", "a hostname holds a terminal escape", "hostname: kafka-01", 'hostname: "kafka\\e[2J-01"'],
  ] as const
) {
  hostile(name, description, async (dir) => {
    const text = example("cluster.yaml").replace(from, to);
    await write(dir, "cluster.yaml", text);
    return [at("cluster.yaml", text, to.slice(to.indexOf(": ") + 2), "invalid-format")];
  });
}

// ---------------------------------------------------------------- empty files and directories

hostile("all-files-empty", "every file of the configuration is empty", async (dir) => {
  for (
    const file of [
      "cluster.yaml",
      ...["ceph", "dns", "kafka", "kubernetes", "mqtt"].map((s) => `services/${s}.yaml`),
    ]
  ) {
    await write(dir, file, "");
  }
  for (const node of ["kafka-01", "master-01", "storage-01", "worker-01", "worker-02"]) {
    await write(dir, `nodes/${node}.yaml`, "");
  }
  return [
    whole("cluster.yaml", "empty-file"),
    whole("services/dns.yaml", "empty-file"),
    whole("nodes/worker-02.yaml", "empty-file"),
  ];
});

hostile("bom-only", "a node file holds only a byte order mark", async (dir) => {
  await write(dir, "nodes/kafka-01.yaml", new Uint8Array([0xef, 0xbb, 0xbf]));
  return [whole("nodes/kafka-01.yaml", "empty-file")];
});

hostile("empty-directory", "the configuration directory is empty", async (dir) => {
  for await (const entry of Deno.readDir(dir)) await Deno.remove(`${dir}/${entry.name}`, { recursive: true });
  return [whole("cluster.yaml", "unreadable")];
});

hostile("no-directory", "the configuration directory does not exist", async (dir) => {
  await Deno.remove(dir, { recursive: true });
  return [whole("cluster.yaml", "unreadable")];
});

hostile("config-is-a-file", "--config names a file, not a directory", async (dir) => {
  await Deno.remove(dir, { recursive: true });
  await write(dir.slice(0, dir.lastIndexOf("/")), dir.slice(dir.lastIndexOf("/") + 1), example("cluster.yaml"));
  return [whole("", "unreadable")];
});

// ---------------------------------------------------------------- links, FIFOs, sockets and odd files

const link = async (dir: string, target: string, file: string) => {
  await Deno.remove(`${dir}/${file}`, { recursive: true }).catch(() => {});
  await Deno.symlink(target, `${dir}/${file}`);
};

for (
  const [name, description, target, file] of [
    ["link-etc-passwd", "a node file is a link to /etc/passwd", "/etc/passwd", "nodes/worker-01.yaml"],
    ["link-cluster-outside", "cluster.yaml is a link to /etc/os-release", "/etc/os-release", "cluster.yaml"],
    ["link-nodes-dir", "nodes/ is a link to /etc", "/etc", "nodes"],
    ["link-dev-zero", "a node file is a link to /dev/zero", "/dev/zero", "nodes/worker-01.yaml"],
    ["link-dev-urandom", "a service file is a link to /dev/urandom", "/dev/urandom", "services/kafka.yaml"],
    ["link-proc-environ", "a node file is a link to /proc/self/environ", "/proc/self/environ", "nodes/master-01.yaml"],
    [
      "link-dotdot",
      "a node file is a relative link that climbs out",
      "../../../../../../../../etc/passwd",
      "nodes/worker-01.yaml",
    ],
    ["link-dangling", "a node file is a link to nothing", "/nonexistent/worker-01.yaml", "nodes/worker-01.yaml"],
    ["link-self-loop", "a node file is a link to itself", "worker-01.yaml", "nodes/worker-01.yaml"],
  ] as const
) {
  hostile(name, description, async (dir) => {
    await link(dir, target, file);
    return [whole(file, "unreadable")];
  });
}

hostile(
  "link-services-outside",
  "services/ is a link to a copy of the services outside the directory",
  async (dir, scratch) => {
    await copyTree(`${EXAMPLE_CONFIG}/services`, `${scratch}/elsewhere`);
    await link(dir, `${scratch}/elsewhere`, "services");
    return [whole("services", "unreadable")];
  },
);

hostile("link-file-outside-valid", "a node file links to a valid copy outside the directory", async (dir, scratch) => {
  await write(scratch, "worker-01.yaml", example("nodes/worker-01.yaml"));
  await link(dir, `${scratch}/worker-01.yaml`, "nodes/worker-01.yaml");
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("link-loop-pair", "two node files link to each other", async (dir) => {
  await link(dir, "worker-02.yaml", "nodes/worker-01.yaml");
  await link(dir, "worker-01.yaml", "nodes/worker-02.yaml");
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("link-services-loop", "services/ is a link to itself", async (dir) => {
  await link(dir, "services", "services");
  return [whole("services", "unreadable")];
});

hostile("link-inside-to-wrong-file", "a node file links to a service file in the same directory", async (dir) => {
  await link(dir, "../services/ceph.yaml", "nodes/worker-02.yaml");
  // Links inside the directory are followed: the node file has the service file's keys.
  return [at("nodes/worker-02.yaml", example("services/ceph.yaml"), "poolSize", "unknown-key")];
});

hostile("fifo-node-file", "a node file is a FIFO no one writes to", async (dir) => {
  await Deno.remove(`${dir}/nodes/worker-01.yaml`);
  const made = await new Deno.Command("mkfifo", { args: [`${dir}/nodes/worker-01.yaml`] }).output();
  assert.equal(made.code, 0);
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("socket-node-file", "a node file is a listening Unix socket", async (dir, _scratch, hold) => {
  await Deno.remove(`${dir}/nodes/worker-01.yaml`);
  // Listening while checked: closing the listener removes the socket file.
  hold(Deno.listen({ transport: "unix", path: `${dir}/nodes/worker-01.yaml` }));
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("directory-node-file", "nodes/worker-01.yaml is a directory", async (dir) => {
  await Deno.remove(`${dir}/nodes/worker-01.yaml`);
  await Deno.mkdir(`${dir}/nodes/worker-01.yaml`);
  return [whole("nodes/worker-01.yaml", "unreadable")];
});

hostile("nodes-is-a-file", "nodes is a regular file", async (dir) => {
  await Deno.remove(`${dir}/nodes`, { recursive: true });
  await write(dir, "nodes", example("nodes/worker-01.yaml"));
  return [whole("nodes", "unreadable")];
});

/** A broken node file beside a hostile compiled snapshot: boot reads the snapshot first, and must not hang on it. */
const BROKEN_NODE = "apiVersion: clusterboot/v1\nlabels: [unclosed\n";
for (
  const [name, description, make] of [
    [
      "snapshot-fifo",
      "the compiled snapshot is a FIFO",
      (path: string) => new Deno.Command("mkfifo", { args: [path] }).output(),
    ],
    [
      "snapshot-dev-zero",
      "the compiled snapshot is a link to /dev/zero",
      (path: string) => Deno.symlink("/dev/zero", path),
    ],
    [
      "snapshot-garbage",
      "the compiled snapshot is 2 MiB of random bytes",
      (path: string) => Deno.writeFile(path, randomBytes(2 << 20, 9)),
    ],
  ] as const
) {
  hostile(name, description, async (dir) => {
    await make(`${dir}/compiled.json`);
    await write(dir, "nodes/worker-01.yaml", BROKEN_NODE);
    return [at("nodes/worker-01.yaml", BROKEN_NODE, "[", "yaml-missing-char")];
  });
}

// ---------------------------------------------------------------- hostile file names

for (
  const [name, description, file] of [
    ["file-name-newline", "a stray node file's name holds a line break", "nodes/evil\nmaster-01.yaml"],
    ["file-name-escape", "a stray node file's name holds a terminal escape", "nodes/x\x1b[2J\x1b[31m.yaml"],
    ["file-name-long", "a stray node file's name is 250 characters", `nodes/${"n".repeat(245)}.yaml`],
    ["file-name-dash", "a stray node file's name looks like an option", "nodes/--help.yaml"],
    ["service-file-newline", "a service file's name holds a line break", "services/kafka\n.yaml"],
  ] as const
) {
  hostile(name, description, async (dir) => {
    await write(dir, file, "apiVersion: clusterboot/v1\n");
    return [whole(file, file.startsWith("nodes/") ? "node-not-listed" : "unknown-service-file")];
  });
}

// ----------------------------------------------------------------

const tally = new Tally();

for (const c of CASES) {
  Deno.test(`hostile input ${c.name}`, () =>
    tally.count(async () => {
      await using tmp = await tempDir("clusterboot-hostile-");
      const config = `${tmp.path}/config`;
      await copyTree(EXAMPLE_CONFIG, config);
      await Deno.mkdir(`${tmp.path}/scratch`);
      using held = new DisposableStack();
      const expected = await c.build(config, `${tmp.path}/scratch`, (resource) => held.use(resource));
      const cost = await assertRefused(config, expected, `${c.name} (${c.description})`);
      assert.ok(cost.peakKiB < MEMORY_LIMIT_MIB * 1024, `${c.name}: ${Math.round(cost.peakKiB / 1024)} MiB at peak`);
      return cost;
    }));
}

Deno.test("hostile inputs: every one refused", () => {
  console.log(tally.line("bad input (generated)"));
  assert.ok(CASES.length >= 50, `only ${CASES.length} cases`);
  assert.equal(tally.tried, CASES.length, "run the whole file to count every case");
  assert.equal(tally.handled, tally.tried);
});
