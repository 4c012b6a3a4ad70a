import assert from "node:assert/strict";
import { BOOT_LOCK, takeBootLock } from "./boot_lock.ts";
import { EnvironmentError } from "../errors.ts";

// flock locks belong to open files, so two takes in one process contend as two processes would.

Deno.test("a second take waits, names the holder's pid, and times out with an environment error", async () => {
  const root = await Deno.makeTempDir();
  try {
    const first = await takeBootLock(root, { timeoutMs: 0 });
    assert.equal(first.waitedMs, 0);
    assert.equal(Deno.readTextFileSync(`${root}${BOOT_LOCK}`), `${Deno.pid}\n`);
    const waits: (number | undefined)[] = [];
    const error = await takeBootLock(root, { timeoutMs: 250, pollMs: 20, onWait: (pid) => waits.push(pid) }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(error instanceof EnvironmentError, String(error));
    assert.match(
      error.message,
      new RegExp(`another clusterboot boot \\(pid ${Deno.pid}\\) still holds .*clusterboot\\.lock`),
    );
    assert.deepEqual(waits, [Deno.pid]);
    first.release();
    // Released: the file is gone, and the next take gets it at once.
    assert.throws(() => Deno.statSync(`${root}${BOOT_LOCK}`), Deno.errors.NotFound);
    const second = await takeBootLock(root, { timeoutMs: 0 });
    second.release();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a waiting take goes on as soon as the holder releases", async () => {
  const root = await Deno.makeTempDir();
  try {
    const first = await takeBootLock(root, { timeoutMs: 0 });
    setTimeout(() => first.release(), 200);
    const second = await takeBootLock(root, { timeoutMs: 5000, pollMs: 20 });
    assert.ok(second.waitedMs >= 150, `waited ${second.waitedMs} ms`);
    assert.ok(second.waitedMs < 4000, `waited ${second.waitedMs} ms`);
    assert.equal(Deno.readTextFileSync(`${root}${BOOT_LOCK}`), `${Deno.pid}\n`);
    second.release();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
