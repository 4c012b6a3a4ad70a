import assert from "node:assert/strict";
import {
  broadcastAddress,
  contains,
  networkAddress,
  nthAddress,
  overlaps,
  prefixLength,
  subnetCount,
  subnets,
} from "./ipv4.ts";

Deno.test("membership, overlap and the special addresses of a network", () => {
  assert.equal(contains("10.20.0.0/24", "10.20.0.255"), true);
  assert.equal(contains("10.20.0.0/24", "10.20.1.0"), false);
  assert.equal(overlaps("10.96.0.0/12", "10.100.0.0/16"), true);
  assert.equal(overlaps("10.96.0.0/12", "10.112.0.0/16"), false);
  assert.equal(networkAddress("10.20.0.77/24"), "10.20.0.0");
  assert.equal(broadcastAddress("10.20.0.0/24"), "10.20.0.255");
  assert.equal(prefixLength("10.244.0.0/16"), 16);
  assert.equal(nthAddress("10.96.0.0/12", 1), "10.96.0.1");
  assert.throws(() => nthAddress("10.0.0.0/30", 4), RangeError);
});

Deno.test("subnets of a network, counted and numbered", () => {
  assert.equal(subnetCount("10.244.0.0/16", 24), 256);
  assert.equal(subnetCount("10.244.0.0/29", 24), 0);
  assert.deepEqual(subnets("10.244.0.0/16", 24, 2), ["10.244.0.0/24", "10.244.1.0/24"]);
  assert.equal(subnets("10.244.0.0/16", 24, 256)[255], "10.244.255.0/24");
  assert.equal(subnets("172.16.0.0/12", 26, 6)[5], "172.16.1.64/26");
  assert.deepEqual(subnets("10.244.0.0/16", 24, 0), []);
  assert.throws(() => subnets("10.244.0.0/16", 24, 257), RangeError);
});

Deno.test("anything but a dotted quad and a prefix length is refused", () => {
  for (const bad of ["10.0.0", "10.0.0.256", "10.0.0.1.2", "0x0a.0.0.1", "10.0.0.-1", "", " 10.0.0.1"]) {
    assert.throws(() => contains("10.0.0.0/8", bad), RangeError, bad);
  }
  for (const bad of ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/1/2", "10.0.0.0/+8"]) {
    assert.throws(() => prefixLength(bad), RangeError, bad);
  }
  assert.equal(prefixLength("0.0.0.0/0"), 0);
  assert.equal(contains("0.0.0.0/0", "255.255.255.255"), true);
});
