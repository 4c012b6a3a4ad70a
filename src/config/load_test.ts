import assert from "node:assert/strict";
import { ConfigError } from "../errors.ts";
import { SNAPSHOT_FILE } from "./compiled.ts";
import { encodeSnapshot } from "./compiled.ts";
import { loadConfig } from "./load.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

async function copyExample(): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const sub of ["", "/services", "/nodes"]) {
    await Deno.mkdir(`${dir}${sub}`, { recursive: true });
    for await (const e of Deno.readDir(`${EXAMPLE}${sub}`)) {
      if (e.isFile) await Deno.copyFile(`${EXAMPLE}${sub}/${e.name}`, `${dir}${sub}/${e.name}`);
    }
  }
  return dir;
}

Deno.test("loadConfig uses a fresh snapshot and validates again once a file changes", async () => {
  const dir = await copyExample();
  try {
    const full = await loadConfig(dir);
    assert.equal(full.fromSnapshot, false);
    await Deno.writeTextFile(`${dir}/${SNAPSHOT_FILE}`, encodeSnapshot(full));
    const fast = await loadConfig(dir);
    assert.equal(fast.fromSnapshot, true);
    assert.deepEqual(fast.config, full.config);

    // An edit that breaks the config must be caught: the snapshot no longer matches, so YAML is validated again.
    const cluster = await Deno.readTextFile(`${dir}/cluster.yaml`);
    await Deno.writeTextFile(`${dir}/cluster.yaml`, cluster.replace("ip: 10.20.0.22", "ip: 10.20.0.21"));
    await assert.rejects(() => loadConfig(dir), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.diagnostics.some((d) => d.code === "duplicate-ip"));
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig names a missing cluster.yaml as a config error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => loadConfig(dir), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.diagnostics[0].message, /no cluster\.yaml/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig reports what it saw of each file it read, links and files it could not use left out", async () => {
  const dir = await copyExample();
  try {
    await Deno.rename(`${dir}/services/dns.yaml`, `${dir}/dns.yaml.real`);
    await Deno.symlink(`${dir}/dns.yaml.real`, `${dir}/services/dns.yaml`);
    const full = await loadConfig(dir);
    await Deno.writeTextFile(`${dir}/${SNAPSHOT_FILE}`, encodeSnapshot(full));
    const fast = await loadConfig(dir);
    assert.equal(fast.fromSnapshot, true);
    for (const loaded of [full, fast]) {
      const seen = loaded.seen!;
      for (const name of loaded.sources.keys()) {
        const file = seen.get(`${dir}/${name}`);
        if (name === "services/dns.yaml") {
          assert.equal(file, undefined, "a symbolic link is looked at through its target: not seen as itself");
          continue;
        }
        assert.ok(file, name);
        assert.equal(file.content, await Deno.readTextFile(`${dir}/${name}`), name);
        assert.equal(file.info.ino, (await Deno.lstat(`${dir}/${name}`)).ino, name);
      }
    }
    assert.equal(full.seen!.has(`${dir}/${SNAPSHOT_FILE}`), false, "no snapshot yet when validated in full");
    assert.equal(fast.seen!.get(`${dir}/${SNAPSHOT_FILE}`)?.content, fast.snapshot);

    // A file that is not UTF-8 is seen as its bytes, and the snapshot made of its text no longer matches it.
    const bytes = new Uint8Array([...new TextEncoder().encode("# \xff\n"), 0xff]);
    await Deno.writeFile(`${dir}/nodes/extra.yaml`, bytes);
    await assert.rejects(() => loadConfig(dir), ConfigError);
    const seen = new Map();
    const { readConfigDir } = await import("./files.ts");
    readConfigDir(dir, seen);
    assert.deepEqual(seen.get(`${dir}/nodes/extra.yaml`)?.content, bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
