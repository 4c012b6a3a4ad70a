/**
 * PEM and base64: the text forms keys and certificates travel in.
 *
 * @example
 * ```ts
 * const pem = toPem("PRIVATE KEY", der);
 * fromPem(pem, "PRIVATE KEY"); // der
 * ```
 * @module
 */

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/\s+/g, ""));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** DER bytes as a PEM block with 64-column lines. */
export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const body = toBase64(der instanceof Uint8Array ? der : new Uint8Array(der)).match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** The DER bytes of every PEM block with `label` in `text`, in order. */
export function fromPemAll(text: string, label: string): Uint8Array<ArrayBuffer>[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, "g");
  return [...text.matchAll(pattern)].map((m) => fromBase64(m[1]));
}

/** The DER bytes of the first PEM block with `label`; throws when there is none. */
export function fromPem(text: string, label: string): Uint8Array<ArrayBuffer> {
  const [first] = fromPemAll(text, label);
  if (!first) throw new SyntaxError(`no PEM block "${label}" found`);
  return first;
}
