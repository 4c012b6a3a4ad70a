/**
 * Byte arrays compared by content.
 *
 * @module
 */

/** Whether `a` and `b` hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/**
 * Whether `bytes` are exactly `content`: the same bytes, or the UTF-8 encoding of the same text. Text is compared
 * by decoding the bytes and comparing strings, both native, rather than by a loop over bytes in JavaScript: on the
 * boot path that loop would run cold, before V8 has compiled it.
 */
export function sameContent(bytes: Uint8Array, content: string | Uint8Array): boolean {
  if (typeof content !== "string") return equalBytes(bytes, content);
  try {
    // A strict decoder admits one encoding per text (and keeps a byte-order mark), so equal text is equal bytes.
    if (strictUtf8.decode(bytes) === content) return true;
  } catch {
    // Not UTF-8: compared as bytes below.
  }
  // Text the decoder cannot produce (a lone surrogate) may still encode to these bytes.
  return equalBytes(bytes, utf8.encode(content));
}
