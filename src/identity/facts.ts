/**
 * What a machine can tell about itself: its network interfaces (MACs and addresses), hostname, DMI identity and
 * kernel command line. Gathering sits behind {@link FactSource} so tests and `--facts FILE` pass their own.
 *
 * @example
 * ```ts
 * const facts = await new SystemFacts().gather();
 * facts.interfaces.map((i) => i.mac);
 * ```
 * @module
 */

export interface NetworkInterface {
  name: string;
  /** Lower-case, colon-separated; absent for interfaces without a hardware address. */
  mac?: string;
  addresses: string[];
}

export interface Facts {
  /** The kernel command line as /proc/cmdline has it. */
  cmdline: string;
  hostname?: string;
  dmi: { uuid?: string; serial?: string };
  interfaces: NetworkInterface[];
}

export interface FactSource {
  gather(): Promise<Facts>;
}

/** Values firmware writes when it has no real identity: never evidence of anything. */
const PLACEHOLDERS = new Set([
  "",
  "0",
  "none",
  "default string",
  "not specified",
  "not applicable",
  "to be filled by o.e.m.",
  "system serial number",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "03000200-0400-0500-0006-000700080009",
]);

export interface SystemFactsOptions {
  /** Where /sys and /proc are found; "/" on a real machine (default), a fake tree in tests. */
  root?: string;
  /** The live interface addresses; defaults to Deno.networkInterfaces() when root is "/". */
  addresses?: () => { name: string; address: string; family: string }[];
}

/** Facts read from the running system: /sys/class/net, /sys/class/dmi/id, /proc (synchronously: small reads). */
export class SystemFacts implements FactSource {
  readonly #root: string;
  readonly #addresses: () => { name: string; address: string; family: string }[];

  constructor(options: SystemFactsOptions = {}) {
    this.#root = (options.root ?? "/").replace(/\/+$/, "");
    this.#addresses = options.addresses ??
      (this.#root === "" ? () => Deno.networkInterfaces() : () => []);
  }

  gather(): Promise<Facts> {
    const read = (path: string) => readTrimmed(`${this.#root}${path}`);
    const interfaces: NetworkInterface[] = [];
    for (const name of listDir(`${this.#root}/sys/class/net`)) {
      if (name === "lo") continue;
      const mac = read(`/sys/class/net/${name}/address`)?.toLowerCase();
      interfaces.push({ name, mac: mac && mac !== "00:00:00:00:00:00" ? mac : undefined, addresses: [] });
    }
    for (const { name, address, family } of this.#addresses()) {
      if (family !== "IPv4" || address.startsWith("127.")) continue;
      let nic = interfaces.find((i) => i.name === name);
      if (!nic) interfaces.push(nic = { name, addresses: [] });
      nic.addresses.push(address);
    }
    return Promise.resolve({
      cmdline: read("/proc/cmdline") ?? "",
      hostname: read("/proc/sys/kernel/hostname") || undefined,
      dmi: {
        uuid: realIdentity(read("/sys/class/dmi/id/product_uuid")),
        serial: realIdentity(read("/sys/class/dmi/id/product_serial")),
      },
      interfaces: interfaces.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    });
  }
}

/** Facts from a JSON file shaped like {@link Facts}: for `--facts FILE` and tests of the real binary. */
export class FileFacts implements FactSource {
  constructor(readonly path: string) {}

  gather(): Promise<Facts> {
    // Read synchronously, as the system's facts are: one small file, not worth a trip through the event loop.
    const data = JSON.parse(Deno.readTextFileSync(this.path)) as Partial<Facts>;
    return Promise.resolve({
      cmdline: typeof data.cmdline === "string" ? data.cmdline : "",
      hostname: typeof data.hostname === "string" ? data.hostname : undefined,
      dmi: { uuid: realIdentity(data.dmi?.uuid), serial: realIdentity(data.dmi?.serial) },
      interfaces: (Array.isArray(data.interfaces) ? data.interfaces : []).map((nic) => ({
        name: String(nic.name),
        mac: nic.mac ? String(nic.mac).toLowerCase() : undefined,
        addresses: Array.isArray(nic.addresses) ? nic.addresses.map(String) : [],
      })),
    });
  }
}

/** Facts given directly, for unit tests. */
export class FakeFacts implements FactSource {
  constructor(readonly facts: Partial<Facts>) {}

  gather(): Promise<Facts> {
    return Promise.resolve({ cmdline: "", dmi: {}, interfaces: [], ...this.facts });
  }
}

function realIdentity(value: string | undefined): string | undefined {
  return value === undefined || PLACEHOLDERS.has(value.trim().toLowerCase()) ? undefined : value.trim();
}

function readTrimmed(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch {
    // Missing or unreadable (DMI files are root-only): that fact is simply unknown.
    return undefined;
  }
}

function listDir(path: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(path)) names.push(entry.name);
  } catch {
    return [];
  }
  return names.sort();
}
