/**
 * Contents compared — bytes, text, and files on disk — as boot does it for every file at every start, when all of
 * its code runs cold: natively where it can, with as few steps of JavaScript as it can.
 *
 * @module
 */

/**
 * Whether `a` and `b` hold the same bytes. Four at a time where both start on a four-byte boundary (as whole files
 * read do): this loop runs cold at boot, in V8's interpreter, where each step counts.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wordsOfA = new Uint32Array(a.buffer, a.byteOffset, words);
    const wordsOfB = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wordsOfA[i] !== wordsOfB[i]) return false;
    i = words * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const utf8 = new TextEncoder();

/**
 * Whether two contents are the same bytes, text standing for its UTF-8 encoding. The same object, or two well-formed
 * texts, compare at once, natively; anything else by {@link equalBytes}.
 */
export function sameContent(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (a === b) return true;
  if (typeof a === "string" && typeof b === "string" && a.isWellFormed() && b.isWellFormed()) return false;
  return equalBytes(asBytes(a), asBytes(b));
}

/** Content as text: bytes decoded as UTF-8. */
export function asText(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** Content as bytes: text encoded as UTF-8. */
export function asBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? utf8.encode(content) : content;
}

/**
 * Whether `text` is read back exactly by the runtime's text reads: well-formed, without U+FFFD. Those reads replace
 * each invalid byte with U+FFFD and keep a byte-order mark, so such a text comes back from them only out of its own
 * UTF-8 encoding.
 */
export function readsBackExactly(text: string): boolean {
  return text.isWellFormed() && !text.includes("\uFFFD");
}

/**
 * A file this run has already looked at (lstat) and read: what the look found, and its content, as text where it
 * reads back exactly ({@link readContent}). Comparing with it costs no second look and no second read.
 */
export interface SeenFile {
  info: Deno.FileInfo;
  content: string | Uint8Array;
}

/**
 * Whether the file at `path` holds exactly `content`. Text that reads back exactly is compared with the file read as
 * text, which the runtime decodes natively: no JavaScript loop and no TextDecoder, both slow when cold, as everything
 * is at boot. Anything else is compared byte for byte.
 */
export function fileHolds(path: string, content: string | Uint8Array): boolean {
  if (typeof content === "string" && readsBackExactly(content)) return Deno.readTextFileSync(path) === content;
  return sameContent(Deno.readFileSync(path), content);
}

/**
 * The file's content as text when it reads back exactly (a PEM key, a token), else its bytes: text compares natively
 * with what is on disk (fileHolds), bytes only by a loop.
 */
export function readContent(path: string): string | Uint8Array {
  const text = Deno.readTextFileSync(path);
  return readsBackExactly(text) ? text : Deno.readFileSync(path);
}
