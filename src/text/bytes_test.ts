import assert from "node:assert/strict";
import { equalBytes, fileHolds, readContent, readsBackExactly, sameContent } from "./bytes.ts";

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

Deno.test("a file holds its content: text read back natively, anything else compared as bytes", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const write = (name: string, bytes: Uint8Array) => (Deno.writeFileSync(`${dir}/${name}`, bytes), `${dir}/${name}`);
    const encode = (text: string) => new TextEncoder().encode(text);
    for (const text of ["", "plain\n", "ünïcødé ✓ 𝄞\n", "\uFEFFwith a byte-order mark"]) {
      const path = write("text", encode(text));
      assert.equal(fileHolds(path, text), true, text);
      assert.equal(fileHolds(path, encode(text)), true, text);
      assert.equal(fileHolds(path, text + " "), false, text);
    }
    // A byte-order mark on disk that the text lacks, and the other way round, is a difference.
    assert.equal(fileHolds(write("bom", encode("\uFEFFx")), "x"), false);
    assert.equal(fileHolds(write("nobom", encode("x")), "\uFEFFx"), false);
    // Bytes that are not UTF-8 read as U+FFFD; text holding U+FFFD is therefore compared byte for byte.
    const invalid = write("invalid", new Uint8Array([0x61, 0xff]));
    assert.equal(fileHolds(invalid, "a\uFFFD"), false);
    assert.equal(fileHolds(write("replacement", encode("a\uFFFD")), "a\uFFFD"), true);
    // A lone surrogate is written as U+FFFD: those bytes hold it, as writing it would leave them.
    assert.equal(fileHolds(write("surrogate", encode("a\uD800")), "a\uD800"), true);
    assert.equal(fileHolds(invalid, new Uint8Array([0x61, 0xff])), true);
    assert.equal(fileHolds(invalid, new Uint8Array([0x61, 0xfe])), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("content read as text where it reads back exactly, else as bytes", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/key.pem`, "-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----\n");
    assert.equal(readContent(`${dir}/key.pem`), "-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----\n");
    const binary = new Uint8Array([0x00, 0xff, 0x10, 0x80]);
    Deno.writeFileSync(`${dir}/keyring.bin`, binary);
    assert.deepEqual(readContent(`${dir}/keyring.bin`), binary);
    // Text that says U+FFFD itself is kept as its bytes too: read as text, it could not be told from bad bytes.
    Deno.writeTextFileSync(`${dir}/odd`, "\uFFFD");
    assert.deepEqual(readContent(`${dir}/odd`), new TextEncoder().encode("\uFFFD"));
    assert.equal(readsBackExactly("plain"), true);
    assert.equal(readsBackExactly("a\uD800"), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
