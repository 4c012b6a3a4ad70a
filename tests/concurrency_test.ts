/**
 * Two boots at once (cluster-detect.service and an operator's rerun) never interleave: the second waits for the
 * lock the first holds on <root>/run/clusterboot.lock, says whose it is, and goes on when it is free — or gives up
 * after --lock-timeout with exit 1, having changed nothing. Real processes throughout: the holder is this test
 * (the same flock call), util-linux's flock(1), or another boot slowed by a stand-in systemctl.
 *
 * Run: `deno test --allow-all tests/concurrency_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, bootRecords, CLUSTERBOOT, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";

const SUPPORT = new URL("./support/", import.meta.url).pathname;
const LOCK_FILE = "/run/clusterboot.lock";
const NODE = "worker-01";

const counts = { tried: 0, waited: 0, timedOut: 0, interleaved: 0 };
globalThis.addEventListener("unload", () => {
  console.log(
    `concurrency: ${counts.tried} contended boots tried, ${
      counts.waited + counts.timedOut
    } handled (${counts.waited} waited then went on, ${counts.timedOut} timed out with exit 1), ${counts.interleaved} interleaved`,
  );
});

const bootArgs = (root: string, ...extra: string[]) => [
  "boot",
  "--config",
  EXAMPLE_CONFIG,
  "--root",
  root,
  "--node",
  NODE,
  ...extra,
];

interface BootRecord {
  outcome: string;
  startedAt: string;
  steps: { startMs: number; durationMs: number }[];
}

/** From the start of a boot's first step to the end of its last, in milliseconds since the epoch. */
function stepSpan(record: BootRecord): [number, number] {
  const base = Date.parse(record.startedAt);
  const last = record.steps.at(-1)!;
  return [base + record.steps[0].startMs, base + last.startMs + last.durationMs];
}

/** A boot running in the background, its stderr read as it comes. */
interface Running {
  pid: number;
  /** Resolves when stderr has a line matching `pattern`, with the time it arrived. */
  line(pattern: RegExp): Promise<number>;
  done: Promise<{ code: number; stderr: string; endedAt: number }>;
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = new Deno.Command(CLUSTERBOOT, {
    args,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      for (const w of waiters.filter((w) => w.pattern.test(stderr))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(performance.now());
      }
    }
    const { code } = await child.status;
    return { code, stderr, endedAt: performance.now() };
  })();
  return {
    pid: child.pid,
    done,
    line: (pattern) =>
      pattern.test(stderr) ? Promise.resolve(performance.now()) : new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then(() => reject(new Error(`the boot ended without printing ${pattern}:\n${stderr}`)));
      }),
  };
}

Deno.test("a boot waits for the lock this test holds, naming its pid, and goes on once it is released", async () => {
  counts.tried++;
  await using dir = await tempDir();
  const root = dir.path;
  await Deno.mkdir(`${root}/run`);
  const lock = await Deno.open(`${root}${LOCK_FILE}`, { read: true, write: true, create: true });
  await lock.lock(true);
  await lock.write(new TextEncoder().encode(`${Deno.pid}\n`));

  const boot = start(bootArgs(root, "--no-activate"));
  await boot.line(new RegExp(`^waiting for another clusterboot boot \\(pid ${Deno.pid}\\)$`, "m"));
  await new Promise((resolve) => setTimeout(resolve, 300));
  // While it waits it reads and writes nothing: no step started, no file but the lock.
  assert.deepEqual(await listTree(root), [LOCK_FILE]);
  const releasedAt = performance.now();
  await lock.unlock();
  lock.close();

  const result = await boot.done;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^the other boot is done after \d+\.\d s; going on$/m);
  assert.ok(result.stderr.indexOf("going on") < result.stderr.indexOf("[started] validate"));
  assert.ok(result.endedAt > releasedAt);
  const tree = await listTree(root);
  assert.ok(tree.includes("/etc/cluster-config/node-identity") && tree.includes(BOOT_RECORD));
  assert.ok(!tree.includes(LOCK_FILE), "the boot removes its lock file when done");
  counts.waited++;
});

Deno.test("--lock-timeout: held by flock(1), the boot gives up with exit 1 and a plain message, changing nothing", async () => {
  counts.tried++;
  await using dir = await tempDir();
  const root = dir.path;
  await Deno.mkdir(`${root}/run`);
  const holder = new Deno.Command("flock", { args: [`${root}${LOCK_FILE}`, "sleep", "30"], stdin: "null" }).spawn();
  try {
    // flock(1) makes the file and then locks it; wait until the lock is taken.
    for (let i = 0; i < 100; i++) {
      const probe = await Deno.open(`${root}${LOCK_FILE}`, { read: true }).catch(() => undefined);
      const free = probe && await probe.tryLock(true);
      probe?.close();
      if (probe && !free) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const began = performance.now();
    const boot = start(bootArgs(root, "--no-activate", "--lock-timeout", "1"));
    const result = await boot.done;
    const took = performance.now() - began;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^waiting for another clusterboot boot$/m);
    assert.match(
      result.stderr,
      new RegExp(`^error: another clusterboot boot still holds ${root}${LOCK_FILE} after 1 s$`, "m"),
    );
    assert.match(result.stderr, /^hint: .*--lock-timeout SECONDS$/m);
    assert.ok(took >= 1000, `gave up after ${took.toFixed(0)} ms`);
    // Nothing read or written: not even a boot record (the holder owns the root).
    assert.doesNotMatch(result.stderr, /\[started\]/);
    assert.deepEqual(await listTree(root), [LOCK_FILE]);
    counts.timedOut++;
  } finally {
    holder.kill("SIGTERM");
    await holder.status;
  }
});

Deno.test("two boots at once: the second waits for the first, their systemctl calls and writes never interleave", async () => {
  counts.tried++;
  await using dir = await tempDir();
  const root = `${dir.path}/root`;
  await Deno.mkdir(root);
  // A systemctl that is slow to answer is-active, so the first boot holds the lock long enough for the second to
  // find it taken; each call is logged with the pid of the boot that made it.
  const bin = `${dir.path}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/systemctl`,
    `#!/bin/sh\necho "$PPID $*" >> "$ORDER_LOG"\n[ "$1" = is-active ] && sleep 1\nexec ${SUPPORT}systemctl "$@"\n`,
    { mode: 0o755 },
  );
  const env = {
    PATH: `${bin}:${Deno.env.get("PATH")}`,
    SYSTEMCTL_LOG: `${dir.path}/systemctl.log`,
    SYSTEMCTL_STATE: `${dir.path}/systemctl.state`,
    ORDER_LOG: `${dir.path}/order.log`,
  };
  const first = start(bootArgs(root, "--activate"), env);
  await first.line(/^\[started\] activate/m);
  const second = start(bootArgs(root, "--activate"), env);
  const waiting = await second.line(new RegExp(`^waiting for another clusterboot boot \\(pid ${first.pid}\\)$`, "m"));
  const [a, b] = [await first.done, await second.done];
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.ok(waiting < a.endedAt, "the second was waiting while the first ran");
  assert.match(b.stderr, /0 created, 0 updated, 0 removed/);

  // The first boot's systemctl calls all come before the second's.
  const callers = (await Deno.readTextFile(env.ORDER_LOG)).split("\n").filter(Boolean).map((l) =>
    Number(l.split(" ")[0])
  );
  const firstCalls = callers.filter((pid) => pid === first.pid).length;
  assert.ok(firstCalls >= 2, `first boot's calls: ${callers.join(" ")}`);
  const interleaved = callers.slice(0, firstCalls).some((pid) => pid !== first.pid);
  // Both boots are recorded (the record file is read, extended and written under the lock), their steps apart.
  const records = (await bootRecords(root)) as unknown as BootRecord[];
  assert.deepEqual(records.map((r) => r.outcome), ["finished", "finished"]);
  const [spanA, spanB] = records.map(stepSpan);
  // Each record's clock is the process's own, estimated to the millisecond: allow that much.
  const overlap = spanA[1] - spanB[0] > 2;
  if (interleaved || overlap) counts.interleaved++;
  assert.ok(!interleaved, `systemctl calls interleaved: ${callers.join(" ")}`);
  assert.ok(!overlap, `the second boot's steps began ${spanA[1] - spanB[0]} ms before the first's ended`);
  counts.waited++;
});
