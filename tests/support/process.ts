/**
 * Real daemons in tests: free loopback ports, processes started with their output kept, waiting for a port to
 * answer, and stopping everything even when a test fails.
 *
 * @module
 */

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export interface Daemon extends AsyncDisposable {
  process: Deno.ChildProcess;
  /** Everything the daemon wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `cmd` with its output collected; dispose (or `stop`) kills it and waits for it. */
export function startDaemon(cmd: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Daemon {
  const process = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) chunks.push(decoder.decode(chunk, { stream: true }));
  };
  const drained = Promise.all([drain(process.stdout), drain(process.stderr)]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill("SIGTERM");
    } catch {
      // already exited
    }
    const timer = setTimeout(() => {
      try {
        process.kill("SIGKILL");
      } catch {
        // exited meanwhile
      }
    }, 10_000);
    await process.status;
    clearTimeout(timer);
    await drained;
  };
  return { process, output: () => chunks.join(""), stop, [Symbol.asyncDispose]: stop };
}

/** Waits until something accepts connections on 127.0.0.1:`port`, or throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 15_000, daemon?: Daemon): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms${daemon ? `:\n${daemon.output()}` : ""}`);
}

/** Runs a command to completion and returns its exit code and output. */
export async function runCommand(
  cmd: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}
