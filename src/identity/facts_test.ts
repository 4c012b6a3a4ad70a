import assert from "node:assert/strict";
import { FileFacts, SystemFacts } from "./facts.ts";

async function fakeSystem(): Promise<string> {
  const root = await Deno.makeTempDir();
  const write = async (path: string, text: string) => {
    await Deno.mkdir(`${root}${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${root}${path}`, text);
  };
  await write("/sys/class/net/lo/address", "00:00:00:00:00:00\n");
  await write("/sys/class/net/ens3/address", "52:54:00:AB:CD:EF\n");
  await write("/sys/class/net/tun0/address", "\n");
  await write("/sys/class/dmi/id/product_uuid", "4c4c4544-0000-1010-8000-000000000001\n");
  await write("/sys/class/dmi/id/product_serial", "To be filled by O.E.M.\n");
  await write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz clusterboot.node=a\n");
  await write("/proc/sys/kernel/hostname", "debian\n");
  return root;
}

Deno.test("SystemFacts reads MACs, DMI, cmdline and hostname, ignoring loopback and firmware placeholders", async () => {
  const root = await fakeSystem();
  try {
    const facts = await new SystemFacts({
      root,
      addresses: () => [
        { name: "ens3", address: "10.20.0.11", family: "IPv4" },
        { name: "lo", address: "127.0.0.1", family: "IPv4" },
        { name: "ens3", address: "fe80::1", family: "IPv6" },
      ],
    }).gather();
    assert.deepEqual(facts, {
      cmdline: "BOOT_IMAGE=/vmlinuz clusterboot.node=a",
      hostname: "debian",
      dmi: { uuid: "4c4c4544-0000-1010-8000-000000000001", serial: undefined },
      interfaces: [
        { name: "ens3", mac: "52:54:00:ab:cd:ef", addresses: ["10.20.0.11"] },
        { name: "tun0", mac: undefined, addresses: [] },
      ],
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("SystemFacts on a tree without /sys or /proc knows nothing, and says nothing false", async () => {
  const root = await Deno.makeTempDir();
  try {
    const facts = await new SystemFacts({ root }).gather();
    assert.deepEqual(facts, {
      cmdline: "",
      hostname: undefined,
      dmi: { uuid: undefined, serial: undefined },
      interfaces: [],
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("FileFacts reads the JSON form and normalises MACs", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify({ interfaces: [{ name: "eth0", mac: "52:54:00:AA:00:01" }] }));
    const facts = await new FileFacts(file).gather();
    assert.deepEqual(facts.interfaces, [{ name: "eth0", mac: "52:54:00:aa:00:01", addresses: [] }]);
    assert.equal(facts.cmdline, "");
  } finally {
    await Deno.remove(file);
  }
});
