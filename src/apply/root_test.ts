import assert from "node:assert/strict";
import { presentUnder, under } from "./root.ts";

Deno.test("a path under a root: the root's trailing slashes do not double", () => {
  assert.equal(under("/", "/etc/hostname"), "/etc/hostname");
  assert.equal(under("", "/etc/hostname"), "/etc/hostname");
  assert.equal(under("/tmp/root", "/etc/hostname"), "/tmp/root/etc/hostname");
  assert.equal(under("/tmp/root//", "/etc/hostname"), "/tmp/root/etc/hostname");
  assert.equal(under("///", "/etc"), "/etc");
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
