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
  assert.equal(osdAction(true, mine, mine), "keep");
  assert.equal(osdAction(false, mine, mine), "activate");
  assert.equal(osdAction(false, undefined, mine), "create");
  assert.equal(osdAction(false, other, mine), "refuse");
  assert.equal(osdAction(true, other, mine), "refuse");
});
