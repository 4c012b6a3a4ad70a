import assert from "node:assert/strict";
import { KnownAbsences, presentUnder } from "./absences.ts";

Deno.test("known absences: nothing is known before a miss; after one, the directory's listing answers", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/present`, "");
    const absences = new KnownAbsences();
    assert.equal(absences.absent(`${dir}/missing`), false, "not known before a miss: the caller looks it up");
    absences.missed(`${dir}/missing`);
    assert.equal(absences.absent(`${dir}/missing`), true);
    assert.equal(absences.absent(`${dir}/other`), true);
    assert.equal(absences.absent(`${dir}/present`), false, "listed: the caller looks it up as usual");
    // A directory that is not there holds nothing; one not listed is not guessed at.
    absences.missed(`${dir}/gone/file`);
    assert.equal(absences.absent(`${dir}/gone/another`), true);
    assert.equal(absences.absent(`${dir}/elsewhere/file`), false);
    // A file where a directory would be: nothing under it.
    absences.missed(`${dir}/present/file`);
    assert.equal(absences.absent(`${dir}/present/x`), true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a path present under a root, found by listing the way down", () => {
  const root = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${root}/var/lib/etcd/member`, { recursive: true });
    Deno.writeTextFileSync(`${root}/var/lib/etcd/member/wal`, "");
    assert.equal(presentUnder(root, "/var/lib/etcd/member"), true);
    assert.equal(presentUnder(`${root}/`, "/var/lib/etcd/member/wal"), true);
    assert.equal(presentUnder(root, "/var/lib/etcd/members"), false);
    assert.equal(presentUnder(root, "/var/lib/kafka/meta.properties"), false);
    // A file where a directory is needed, and a root that does not exist, are absences, not errors.
    assert.equal(presentUnder(root, "/var/lib/etcd/member/wal/x"), false);
    assert.equal(presentUnder(`${root}/missing`, "/var"), false);
    assert.equal(presentUnder(root, "/"), true);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
