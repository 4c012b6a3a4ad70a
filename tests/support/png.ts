/**
 * Reading the pixels of a PNG, enough for the pictures rsvg-convert writes (8-bit grey, RGB or RGBA, with or
 * without alpha, not interlaced), so tests can look at what a real renderer drew.
 *
 * @module
 */

export interface Picture {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom; transparent parts as they are (compose them yourself). */
  rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel by PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decodes a PNG file's bytes; throws on anything it does not support rather than guessing. */
export async function decodePng(bytes: Uint8Array): Promise<Picture> {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error("not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, depth = 0, colourType = -1, interlace = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      [width, height, depth, colourType, interlace] = [h.getUint32(0), h.getUint32(4), body[8], body[9], body[12]];
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  const channels = CHANNELS[colourType];
  if (depth !== 8 || channels === undefined || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
  }
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  idat.reduce((offset, chunk) => (joined.set(chunk, offset), offset + chunk.length), 0);
  const data = await inflate(joined);
  const stride = width * channels;
  if (data.length < height * (stride + 1)) throw new Error("the PNG is cut short");
  const rgba = new Uint8Array(width * height * 4);
  let prior = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)];
    const row = data.slice(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? row[i - channels] : 0;
      const up = prior[i];
      const upLeft = i >= channels ? prior[i - channels] : 0;
      if (filter === 1) row[i] += left;
      else if (filter === 2) row[i] += up;
      else if (filter === 3) row[i] += (left + up) >> 1;
      else if (filter === 4) row[i] += paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`bad PNG filter ${filter} in row ${y}`);
    }
    for (let x = 0; x < width; x++) {
      const s = x * channels, d = (y * width + x) * 4;
      if (channels <= 2) rgba.set([row[s], row[s], row[s], channels === 2 ? row[s + 1] : 255], d);
      else rgba.set([row[s], row[s + 1], row[s + 2], channels === 4 ? row[s + 3] : 255], d);
    }
    prior = row;
  }
  return { width, height, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
