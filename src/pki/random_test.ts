import assert from "node:assert/strict";
import { KAFKA_CLUSTER_ID_PATTERN, kafkaClusterId } from "./random.ts";

Deno.test("KRaft cluster ids: 22 URL-safe base64 characters, never a leading '-' that kafka-storage reads as an option", () => {
  // With one id in 64 starting with "-", 4,000 draws all pass by chance with probability below 1e-27.
  const ids = Array.from({ length: 4_000 }, kafkaClusterId);
  for (const id of ids) {
    assert.match(id, KAFKA_CLUSTER_ID_PATTERN);
    assert.ok(!id.startsWith("-"), id);
  }
  assert.equal(new Set(ids).size, ids.length);
});
