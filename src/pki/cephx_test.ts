import assert from "node:assert/strict";
import { cephxKey, isCephxKey, keyring } from "./cephx.ts";
import { fromBase64 } from "./pem.ts";

Deno.test("a cephx key has the AES layout: type 1, creation time, length 16, 16 random bytes", () => {
  const now = new Date("2026-11-25T12:00:00.250Z");
  const key = cephxKey(now);
  assert.match(key, /^AQ/);
  const bytes = fromBase64(key);
  const view = new DataView(bytes.buffer);
  assert.equal(bytes.length, 28);
  assert.equal(view.getUint16(0, true), 1);
  assert.equal(view.getUint32(2, true), Math.floor(now.getTime() / 1000));
  assert.equal(view.getUint32(6, true), 250_000_000);
  assert.equal(view.getUint16(10, true), 16);
  assert.ok(isCephxKey(key));
  assert.notEqual(cephxKey(now), key);
});

Deno.test("bare random bytes are not a cephx key", () => {
  assert.equal(isCephxKey(btoa("0123456789abcdef")), false);
  assert.equal(isCephxKey("not base64!"), false);
});

Deno.test("keyring sections list caps sorted, as ceph-authtool writes them", () => {
  assert.equal(
    keyring("client.admin", "AQxyz==", { osd: "allow *", mon: "allow *" }),
    '[client.admin]\n\tkey = AQxyz==\n\tcaps mon = "allow *"\n\tcaps osd = "allow *"\n',
  );
});
