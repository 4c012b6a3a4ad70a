import assert from "node:assert/strict";
import { osdAction, osdUuid } from "./ceph_bootstrap.ts";

Deno.test("an OSD's UUID is the same for the same cluster and id, and differs otherwise", async () => {
  const fsid = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  const a = await osdUuid(fsid, 0);
  assert.equal(await osdUuid(fsid, 0), a);
  assert.notEqual(await osdUuid(fsid, 1), a);
  assert.notEqual(await osdUuid("9b2d6f0e-1c3a-4b5d-8e7f-0a1b2c3d4e5f", 0), a);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

Deno.test("OSD preparation never overwrites a device: keep, re-activate, create or refuse", () => {
  const mine = "11111111-1111-4111-8111-111111111111";
  const other = "22222222-2222-4222-8222-222222222222";
  const done = { uuid: mine, whoami: "1" };
  assert.equal(osdAction(true, done, mine, 1), "keep");
  assert.equal(osdAction(false, done, mine, 1), "activate");
  assert.equal(osdAction(false, {}, mine, 1), "create");
  assert.equal(osdAction(false, { uuid: other, whoami: "1" }, mine, 1), "refuse");
  assert.equal(osdAction(true, { uuid: other }, mine, 1), "refuse");
});

Deno.test("an OSD label without its id is a preparation cut short: made again, never activated or kept", () => {
  const mine = "11111111-1111-4111-8111-111111111111";
  assert.equal(osdAction(false, { uuid: mine }, mine, 1), "create");
  assert.equal(osdAction(true, { uuid: mine, key: "AQ..." }, mine, 1), "create");
  assert.equal(osdAction(false, { uuid: mine, whoami: "2" }, mine, 1), "create");
});
