/**
 * IPv4 networks as the config uses them: membership, overlap, and the n-th address of a network.
 *
 * @example
 * ```ts
 * contains("10.20.0.0/24", "10.20.0.11"); // true
 * nthAddress("10.96.0.0/12", 1); // "10.96.0.1", the Kubernetes API service address
 * ```
 * The addresses and networks come from a validated configuration (the schema checks their form), so plain dotted
 * quads are all this reads; anything else is a RangeError. Parsing them by hand rather than with ipaddr.js keeps that
 * library's code, which V8 would load at every boot, off the boot path.
 *
 * @module
 */

// Read without a regular expression: V8 took 0.2-0.3 ms to compile the one for a dotted quad, at every boot.
function toInt(address: string): number {
  const octets = address.split(".");
  if (octets.length !== 4 || !octets.every(isOctet)) throw new RangeError(`not an IPv4 address: ${address}`);
  return octets.reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** One to three decimal digits, at most 255. */
function isOctet(text: string): boolean {
  if (text.length < 1 || text.length > 3) return false;
  for (const c of text) if (c < "0" || c > "9") return false;
  return Number(text) <= 255;
}

/** A network in CIDR form as its address and prefix length. */
function parseCidr(cidr: string): [string, number] {
  const [address, bits, ...rest] = cidr.split("/");
  if (rest.length || !/^\d{1,2}$/.test(bits ?? "") || Number(bits) > 32) {
    throw new RangeError(`not an IPv4 network: ${cidr}`);
  }
  return [address, Number(bits)];
}

function fromInt(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** The first and last address of a network given in CIDR form, as integers. */
function bounds(cidr: string): [number, number] {
  const [address, bits] = parseCidr(cidr);
  const size = 2 ** (32 - bits);
  const first = Math.floor(toInt(address) / size) * size;
  return [first, first + size - 1];
}

/** The prefix length of a network: 24 for `10.20.0.0/24`. */
export function prefixLength(cidr: string): number {
  return parseCidr(cidr)[1];
}

/** Whether `address` lies inside the network `cidr`. */
export function contains(cidr: string, address: string): boolean {
  const [first, last] = bounds(cidr);
  const value = toInt(address);
  return value >= first && value <= last;
}

/** Whether two networks share any address. */
export function overlaps(a: string, b: string): boolean {
  const [aFirst, aLast] = bounds(a);
  const [bFirst, bLast] = bounds(b);
  return aFirst <= bLast && bFirst <= aLast;
}

/** The network's own address, e.g. `10.20.0.0` for `10.20.0.5/24`. */
export function networkAddress(cidr: string): string {
  return fromInt(bounds(cidr)[0]);
}

/** The network's broadcast address, e.g. `10.20.0.255` for `10.20.0.0/24`. */
export function broadcastAddress(cidr: string): string {
  return fromInt(bounds(cidr)[1]);
}

/** How many subnets of prefix length `size` the network `cidr` holds (0 when `size` is shorter than its own). */
export function subnetCount(cidr: string, size: number): number {
  const own = prefixLength(cidr);
  return size < own ? 0 : 2 ** (size - own);
}

/**
 * The first `count` subnets of prefix length `size` inside `cidr`, the network read once for all of them: the /24s
 * of 10.244.0.0/16 are 10.244.0.0/24, 10.244.1.0/24, ...
 */
export function subnets(cidr: string, size: number, count: number): string[] {
  if (count > subnetCount(cidr, size)) throw new RangeError(`network ${cidr} has no /${size} number ${count - 1}`);
  const [first] = bounds(cidr);
  const step = 2 ** (32 - size);
  return Array.from({ length: count }, (_, index) => `${fromInt(first + index * step)}/${size}`);
}

/** The address `n` places after the network address; throws when the network is too small. */
export function nthAddress(cidr: string, n: number): string {
  const [first, last] = bounds(cidr);
  if (first + n > last) throw new RangeError(`network ${cidr} has no address number ${n}`);
  return fromInt(first + n);
}
