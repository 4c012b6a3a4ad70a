import assert from "node:assert/strict";
import { equalBytes, sameContent } from "./bytes.ts";

Deno.test("equal bytes: every length and alignment, and a difference at every place", () => {
  const backing = new Uint8Array(64).map((_, i) => (i * 37) & 255);
  for (let length = 0; length <= 13; length++) {
    for (const [offsetA, offsetB] of [[0, 0], [4, 8], [1, 0], [3, 2], [2, 6]]) {
      const a = new Uint8Array(length + 8);
      const b = new Uint8Array(length + 16);
      a.set(backing.subarray(0, length), offsetA);
      b.set(backing.subarray(0, length), offsetB);
      const viewA = a.subarray(offsetA, offsetA + length);
      const viewB = b.subarray(offsetB, offsetB + length);
      assert.equal(equalBytes(viewA, viewB), true, `length ${length}, offsets ${offsetA}/${offsetB}`);
      for (let at = 0; at < length; at++) {
        viewB[at] ^= 0x80;
        assert.equal(equalBytes(viewA, viewB), false, `length ${length}, offsets ${offsetA}/${offsetB}, at ${at}`);
        viewB[at] ^= 0x80;
      }
      if (length > 0) assert.equal(equalBytes(viewA, viewB.subarray(1)), false, "lengths differ");
    }
  }
});

Deno.test("same content: text against its bytes, exactly", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  for (const text of ["", "a", "ünïcødé ✓ 𝄞\n", "\uFEFFwith a byte-order mark"]) {
    assert.equal(sameContent(encode(text), text), true, text);
    assert.equal(sameContent(encode(text), encode(text)), true, text);
    assert.equal(sameContent(encode(text + " "), text), false, text);
  }
  // A byte-order mark is content: its absence is a difference.
  assert.equal(sameContent(encode("x"), "\uFEFFx"), false);
  assert.equal(sameContent(encode("\uFEFFx"), "x"), false);
  // Bytes that are not UTF-8 are never equal to text, even text with the replacement character a lax decoder gives.
  assert.equal(sameContent(new Uint8Array([0x61, 0xff]), "a\uFFFD"), false);
  // A lone surrogate encodes as the replacement character: those bytes are what writing the text would give.
  assert.equal(sameContent(encode("a\uD800"), "a\uD800"), true);
  assert.equal(sameContent(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assert.equal(sameContent(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
});
