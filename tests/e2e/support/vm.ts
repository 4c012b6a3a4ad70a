/**
 * One QEMU machine booted from the image (TCG: slow but it works everywhere), with the MAC of a node, its disks, its
 * serial console in a file, and a 9p share through which the test agent baked into the test image runs the test's
 * scripts (tests/e2e/agent). Stopped when disposed.
 *
 * @module
 */
import type { VmNetwork } from "./vm_network.ts";

export interface VmSpec {
  name: string;
  mac: string;
  memoryMiB: number;
  /** Virtual CPUs (default 1); under TCG each is a host thread, so more of them take a larger share of the host. */
  cpus?: number;
  /** Sizes of the virtio disks, /dev/vda first. */
  diskMiB?: number[];
}

export interface ExecResult {
  code: number;
  output: string;
}

/** The line the agent prints on the console each time it is ready (once per boot). */
const AGENT_READY = "e2e-agent: ready";

export class Vm implements AsyncDisposable {
  #process?: Deno.ChildProcess;
  #done: Promise<void> = Promise.resolve();
  #exited = false;
  #stderr = "";
  #scripts = 0;
  readonly consoleFile: string;
  readonly share: string;

  private constructor(readonly spec: VmSpec, readonly dir: string) {
    this.consoleFile = `${dir}/console.log`;
    this.share = `${dir}/share`;
  }

  /** Creates the machine's disks and share under `workDir/<name>` and starts it. */
  static async start(spec: VmSpec, iso: string, network: VmNetwork, workDir: string): Promise<Vm> {
    const vm = new Vm(spec, `${workDir}/${spec.name}`);
    await Deno.mkdir(`${vm.share}/in`, { recursive: true });
    await Deno.mkdir(`${vm.share}/out`, { recursive: true });
    const drives: string[] = [];
    for (const [i, size] of (spec.diskMiB ?? []).entries()) {
      const file = `${vm.dir}/disk${i}.img`;
      using disk = await Deno.open(file, { write: true, create: true });
      await disk.truncate(size * 1024 * 1024);
      drives.push("-drive", `file=${file},if=virtio,format=raw,cache=unsafe`);
    }
    const tap = await network.addTap();
    vm.#process = new Deno.Command("ip", {
      args: network.exec([
        "qemu-system-x86_64",
        // `max`: every instruction TCG can emulate (AES-NI for Go's TLS, the SIMD Ceph's erasure code library
        // assumes); the default model lacks them.
        ...["-accel", "tcg", "-cpu", "max", "-m", String(spec.memoryMiB), "-smp", String(spec.cpus ?? 1)],
        ...["-cdrom", iso, "-boot", "d", "-display", "none", "-serial", `file:${vm.consoleFile}`],
        ...["-netdev", `tap,id=n0,ifname=${tap},script=no,downscript=no`],
        ...["-device", `virtio-net-pci,netdev=n0,mac=${spec.mac}`],
        ...["-virtfs", `local,path=${vm.share},mount_tag=e2e,security_model=none,id=e2e`],
        ...drives,
      ]).slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    vm.#done = vm.#process.output().then((output) => {
      vm.#exited = true;
      vm.#stderr = new TextDecoder().decode(output.stderr);
    });
    return vm;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Everything on the serial console so far. */
  console(): string {
    try {
      return Deno.readTextFileSync(this.consoleFile);
    } catch {
      return "";
    }
  }

  /** The last lines of the console, for failure messages. */
  consoleTail(lines = 40): string {
    return this.console().split("\n").slice(-lines).join("\n");
  }

  /** How many times the agent has come up: one per boot. */
  boots(): number {
    return this.console().split(AGENT_READY).length - 1;
  }

  /** Waits until the console matches `pattern`. */
  async waitForConsole(pattern: RegExp, timeoutMs: number): Promise<void> {
    await this.#until(() => pattern.test(this.console()), timeoutMs, `console to show ${pattern}`);
  }

  /** Waits for the agent of boot number `boot` (1 = the first boot). */
  async waitForAgent(boot: number, timeoutMs: number): Promise<void> {
    await this.#until(() => this.boots() >= boot, timeoutMs, `the test agent of boot ${boot}`);
  }

  /** Runs a shell script on the machine through the agent. */
  async exec(script: string, timeoutMs = 120_000): Promise<ExecResult> {
    const id = String(++this.#scripts).padStart(4, "0");
    const staged = `${this.share}/in/.${id}.tmp`;
    await Deno.writeTextFile(staged, script);
    await Deno.rename(staged, `${this.share}/in/${id}.sh`);
    const codeFile = `${this.share}/out/${id}.code`;
    await this.#until(() => exists(codeFile), timeoutMs, `script ${id} to finish:\n${script}`);
    return {
      code: Number((await Deno.readTextFile(codeFile)).trim()),
      output: await Deno.readTextFile(`${this.share}/out/${id}.out`),
    };
  }

  /** Runs a script and returns its output; a non-zero exit fails with the output. */
  async run(script: string, timeoutMs?: number): Promise<string> {
    const result = await this.exec(script, timeoutMs);
    if (result.code !== 0) {
      throw new Error(`${this.name}: exit ${result.code} from:\n${script}\n--- output:\n${result.output}`);
    }
    return result.output;
  }

  /** Polls `check` until it holds; on time-out, fails naming what was awaited, with the console's tail. */
  async #until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: gave up after ${timeoutMs / 1000}s waiting for ${what}\n--- console:\n${this.consoleTail()}`,
        );
      }
      if (this.#exited) {
        throw new Error(`${this.name}: QEMU exited\n${this.#stderr}\n--- console:\n${this.consoleTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Stops QEMU (the machine is powered off, not shut down). */
  async stop(): Promise<void> {
    const child = this.#process;
    if (!child || this.#exited) return;
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await this.#done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
