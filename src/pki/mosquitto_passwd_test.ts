import assert from "node:assert/strict";
import { passwordLine, verifyPasswordLine } from "./mosquitto_passwd.ts";

Deno.test("a password line is PBKDF2-SHA512 in mosquitto's $7$ format and verifies only its password", async () => {
  const line = await passwordLine("sensors", "correct horse");
  assert.match(line, /^sensors:\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
  assert.equal(await verifyPasswordLine(line, "correct horse"), true);
  assert.equal(await verifyPasswordLine(line, "correct horse", "sensors"), true);
  assert.equal(await verifyPasswordLine(line, "wrong"), false);
  assert.equal(await verifyPasswordLine(line, "correct horse", "dashboard"), false);
  assert.notEqual(await passwordLine("sensors", "correct horse"), line, "salts are random");
});

Deno.test("a known vector: the hash is PBKDF2 over the raw salt bytes, not their base64 text", async () => {
  // Computed independently: python3 -c "import hashlib,base64; print(base64.b64encode(hashlib.pbkdf2_hmac(
  //   'sha512', b'secret', bytes(range(12)), 101)).decode())"
  const salt = btoa(String.fromCharCode(...Array.from({ length: 12 }, (_, i) => i)));
  const hash = "Xr99N9ym9ys8TWxis5ajETJq6EVYzmc6nb8t3pUYnPBbCAbICS4xejTltonXWCtJNBvA+By+TXUqU6qCblO00w==";
  assert.equal(await verifyPasswordLine(`u:$7$101$${salt}$${hash}`, "secret"), true);
});
