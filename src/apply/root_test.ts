import assert from "node:assert/strict";
import { under } from "./root.ts";

Deno.test("a path under a root: the root's trailing slashes do not double", () => {
  assert.equal(under("/", "/etc/hostname"), "/etc/hostname");
  assert.equal(under("", "/etc/hostname"), "/etc/hostname");
  assert.equal(under("/tmp/root", "/etc/hostname"), "/tmp/root/etc/hostname");
  assert.equal(under("/tmp/root//", "/etc/hostname"), "/tmp/root/etc/hostname");
  assert.equal(under("///", "/etc"), "/etc");
});
