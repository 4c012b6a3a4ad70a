import assert from "node:assert/strict";
import { ConfigReadError, MAX_FILE_BYTES, MAX_TOTAL_BYTES, readConfigDir } from "./files.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

/** A copy of the example configuration in a temporary directory, removed when done. */
async function example(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "clusterboot-files-" });
  for (const sub of ["", "/services", "/nodes"]) {
    await Deno.mkdir(`${dir}${sub}`, { recursive: true });
    for await (const e of Deno.readDir(`${EXAMPLE}${sub}`)) {
      if (e.isFile) await Deno.copyFile(`${EXAMPLE}${sub}/${e.name}`, `${dir}${sub}/${e.name}`);
    }
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function refused(dir: string, pattern: RegExp, file?: string): ConfigReadError {
  try {
    readConfigDir(dir);
  } catch (error) {
    assert.ok(error instanceof ConfigReadError, `not a ConfigReadError: ${error}`);
    assert.match(error.message, pattern);
    if (file) assert.equal(error.file, `${dir}/${file}`);
    return error;
  }
  throw new assert.AssertionError({ message: `${dir} was read without complaint` });
}

Deno.test("readConfigDir follows symbolic links inside the directory", async () => {
  await using c = await example();
  await Deno.remove(`${c.dir}/nodes/worker-02.yaml`);
  await Deno.symlink("worker-01.yaml", `${c.dir}/nodes/worker-02.yaml`);
  const sources = readConfigDir(c.dir);
  assert.deepEqual(sources.get("nodes/worker-02.yaml"), sources.get("nodes/worker-01.yaml"));
});

Deno.test("readConfigDir refuses files and directories that lead out of the configuration directory", async () => {
  await using c = await example();
  await Deno.remove(`${c.dir}/nodes/worker-01.yaml`);
  await Deno.symlink("/etc/passwd", `${c.dir}/nodes/worker-01.yaml`);
  const error = refused(
    c.dir,
    /symbolic link to \/etc\/passwd, outside the configuration directory/,
    "nodes/worker-01.yaml",
  );
  assert.match(error.hint ?? "", /copy the file into the configuration directory/);

  await Deno.remove(`${c.dir}/nodes/worker-01.yaml`);
  await Deno.symlink("../../../../../../../../etc/hostname", `${c.dir}/nodes/worker-01.yaml`);
  refused(c.dir, /outside the configuration directory/, "nodes/worker-01.yaml");

  await Deno.remove(`${c.dir}/nodes`, { recursive: true });
  await Deno.symlink("/etc", `${c.dir}/nodes`);
  refused(c.dir, /nodes\/ is a symbolic link to \/etc/, "nodes");
});

Deno.test("readConfigDir refuses a FIFO without opening it, a loop of links, a directory and a file as nodes/", async () => {
  await using c = await example();
  const node = `${c.dir}/nodes/worker-01.yaml`;
  await Deno.remove(node);
  // Opening a FIFO blocks until a writer comes: the test would hang if it were opened.
  await new Deno.Command("mkfifo", { args: [node] }).output();
  refused(c.dir, /worker-01\.yaml is not a regular file/, "nodes/worker-01.yaml");
  await Deno.remove(node);
  await Deno.symlink("worker-01.yaml", node);
  refused(c.dir, /symbolic links go round in a loop/, "nodes/worker-01.yaml");
  await Deno.remove(node);
  await Deno.mkdir(node);
  refused(c.dir, /is not a regular file/);
  await Deno.remove(`${c.dir}/nodes`, { recursive: true });
  await Deno.writeTextFile(`${c.dir}/nodes`, "apiVersion: clusterboot/v1\n");
  refused(c.dir, /nodes is not a directory/, "nodes");
  refused(`${c.dir}/cluster.yaml`, /is not a directory/);
});

Deno.test("readConfigDir refuses a file over MAX_FILE_BYTES and files over MAX_TOTAL_BYTES together", async () => {
  await using c = await example();
  await Deno.writeTextFile(`${c.dir}/nodes/worker-01.yaml`, "#".repeat(MAX_FILE_BYTES + 1));
  refused(c.dir, new RegExp(`larger than the ${MAX_FILE_BYTES} bytes`), "nodes/worker-01.yaml");
  await Deno.writeTextFile(`${c.dir}/nodes/worker-01.yaml`, "#".repeat(MAX_FILE_BYTES));
  for (let i = 0; i * MAX_FILE_BYTES <= MAX_TOTAL_BYTES; i++) {
    await Deno.writeTextFile(`${c.dir}/nodes/extra-${i}.yaml`, "#".repeat(MAX_FILE_BYTES));
  }
  refused(c.dir, /add up to more than/);
});
