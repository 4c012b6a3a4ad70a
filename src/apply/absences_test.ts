import assert from "node:assert/strict";
import { KnownAbsences } from "./absences.ts";

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
