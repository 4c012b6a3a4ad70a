import assert from "node:assert/strict";
import { removeStaleTemps, writeFailure, writeFileAtomic } from "./write.ts";
import { EnvironmentError } from "../errors.ts";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("removeStaleTemps removes the temporary files of writers that are gone, and nothing else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = await deadPid();
    const names = {
      stale: `.hosts.clusterboot-${dead}-1a2b`,
      staleLink: `.current-node.yaml.clusterboot-${dead}-ff`,
      ownRun: `.hostname.clusterboot-${Deno.pid}-3c`,
      otherLive: `.passwd.clusterboot-1-4d`,
      lookalike: ".hosts.clusterboot-new",
      managed: "hosts",
    };
    for (const [key, name] of Object.entries(names)) {
      if (key === "staleLink") await Deno.symlink("nowhere", `${dir}/${name}`);
      else await Deno.writeTextFile(`${dir}/${name}`, "partial");
    }
    const removed = removeStaleTemps([dir, `${dir}/missing`]);
    assert.deepEqual(removed.sort(), [`${dir}/${names.stale}`, `${dir}/${names.staleLink}`].sort());
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, [names.ownRun, names.otherLive, names.lookalike, names.managed].sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic names its temporary file so removeStaleTemps recognises it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    writeFileAtomic(`${dir}/a`, new TextEncoder().encode("a\n"), { mode: 0o644 });
    // A writer killed between creating and renaming leaves exactly such a name, under its own pid.
    const temp = `${dir}/.a.clusterboot-${await deadPid()}-0`;
    await Deno.writeTextFile(temp, "torn");
    assert.deepEqual(removeStaleTemps([dir]), [temp]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFailure: one line naming the path and the cause, without the system's error number", () => {
  const cases: [Error, string][] = [
    [new Error("No space left on device (os error 28)"), "cannot write /etc/x: no space left on device"],
    [new Error("Read-only file system (os error 30)"), "cannot write /etc/x: the file system is read-only"],
    [new Deno.errors.PermissionDenied("Permission denied (os error 13)"), "cannot write /etc/x: permission denied"],
    [new Error("Disk quota exceeded (os error 122)"), "cannot write /etc/x: disk quota exceeded"],
    [new Error("Input/output error (os error 5)"), "cannot write /etc/x: input/output error"],
  ];
  for (const [error, message] of cases) {
    const failure = writeFailure(error, "/etc/x");
    assert.ok(failure instanceof EnvironmentError);
    assert.equal(failure.message, message);
  }
  const own = new EnvironmentError("already explained");
  assert.equal(writeFailure(own, "/etc/x"), own);
});
