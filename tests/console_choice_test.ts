/**
 * Choosing the node at the console: the built executable run in a real terminal (a tmux session), as an operator
 * at a machine whose identity the evidence cannot decide would run it.
 */
import assert from "node:assert/strict";
import { CLUSTERBOOT, EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";

async function tmux(...args: string[]): Promise<string> {
  const output = await new Deno.Command("tmux", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  return text;
}

/** A terminal session running one command; its screen readable, keys sendable, gone when the test ends. */
async function terminal(socket: string, command: string): Promise<
  AsyncDisposable & {
    screen(): Promise<string>;
    waitFor(pattern: RegExp): Promise<string>;
    type(text: string): Promise<void>;
  }
> {
  await tmux("-S", socket, "new-session", "-d", "-x", "160", "-y", "50", command);
  const screen = () => tmux("-S", socket, "capture-pane", "-p", "-J", "-S", "-200");
  return {
    screen,
    async waitFor(pattern) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const text = await screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async type(text) {
      await tmux("-S", socket, "send-keys", "-t", "0", "-l", text);
      await tmux("-S", socket, "send-keys", "-t", "0", "Enter");
    },
    [Symbol.asyncDispose]: () => tmux("-S", socket, "kill-server").then(() => {}, () => {}),
  };
}

/** The command line for a boot into `root` with these NICs, its exit code echoed so the screen shows it. */
async function bootCommand(dir: string, macs: string[]): Promise<string> {
  const facts = `${dir}/facts.json`;
  await Deno.writeTextFile(
    facts,
    JSON.stringify({ interfaces: macs.map((mac, i) => ({ name: `ens${3 + i}`, mac, addresses: [] })) }),
  );
  return `NO_COLOR=1 ${CLUSTERBOOT} boot --config ${EXAMPLE_CONFIG} --root ${dir}/root --facts ${facts} ` +
    `--no-activate; echo "exit=$?"; sleep 60`;
}

Deno.test("at a terminal, a machine no node matches lists every node and boots the one the operator picks", async () => {
  await using dir = await tempDir();
  await using term = await terminal(`${dir.path}/tmux.sock`, await bootCommand(dir.path, ["52:54:00:99:00:01"]));
  const prompt = await term.waitFor(/which node is this machine\?/);
  assert.match(prompt, /could not decide which node this machine is: no node of this cluster matches this machine/);
  for (const node of ["master-01", "worker-01", "worker-02", "kafka-01", "storage-01"]) {
    assert.match(prompt, new RegExp(`\\d\\) ${node}\\n\\s+hostname \\S+, MAC 52:54:00:20:00:\\d\\d`));
  }
  await term.type("worker-03");
  await term.waitFor(/"worker-03" is not one of the nodes listed/);
  await term.type("4"); // kafka-01, the fourth in cluster.yaml
  const done = await term.waitFor(/exit=\d+/);
  assert.match(done, /exit=0/);
  assert.match(done, /\[finished\] choose at the console: kafka-01, chosen by the operator/);
  assert.equal(await Deno.readTextFile(`${dir.path}/root/etc/cluster-config/node-identity`), "kafka-01\n");
});

Deno.test("at a terminal, a machine two nodes match offers only those two, with the evidence", async () => {
  await using dir = await tempDir();
  const command = await bootCommand(dir.path, ["52:54:00:20:00:21", "52:54:00:20:00:22"]);
  await using term = await terminal(`${dir.path}/tmux.sock`, command);
  const prompt = await term.waitFor(/which node is this machine\?/);
  assert.match(prompt, /several nodes match by MAC address: worker-01, worker-02/);
  assert.match(prompt, /1\) worker-01\n\s+matched by MAC 52:54:00:20:00:21 on ens3/);
  assert.match(prompt, /2\) worker-02\n\s+matched by MAC 52:54:00:20:00:22 on ens4/);
  assert.doesNotMatch(prompt, /\d\) master-01/);
  await term.type("worker-02");
  assert.match(await term.waitFor(/exit=\d+/), /exit=0/);
  assert.equal(await Deno.readTextFile(`${dir.path}/root/etc/cluster-config/node-identity`), "worker-02\n");
});

Deno.test("at a terminal, an empty answer stops the boot with exit 3 and writes no node's files", async () => {
  await using dir = await tempDir();
  await using term = await terminal(`${dir.path}/tmux.sock`, await bootCommand(dir.path, ["52:54:00:99:00:01"]));
  await term.waitFor(/which node is this machine\?/);
  await term.type("");
  const done = await term.waitFor(/exit=\d+/);
  assert.match(done, /exit=3/);
  assert.match(done, /error: no node of this cluster matches this machine/);
  await assert.rejects(Deno.stat(`${dir.path}/root/etc/cluster-config`), Deno.errors.NotFound);
});

Deno.test("--no-prompt at a terminal stops with exit 3 without asking", async () => {
  await using dir = await tempDir();
  const command = (await bootCommand(dir.path, ["52:54:00:99:00:01"])).replace(
    "--no-activate",
    "--no-activate --no-prompt",
  );
  await using term = await terminal(`${dir.path}/tmux.sock`, command);
  const done = await term.waitFor(/exit=\d+/);
  assert.match(done, /exit=3/);
  assert.doesNotMatch(done, /which node is this machine/);
});
