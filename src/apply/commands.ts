/**
 * Running the system's tools (mkfs, mount, ceph-mon, ...) behind an interface, so the decisions around them can be
 * tested with stand-ins.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Tools {
  run(cmd: string[]): Promise<CommandResult>;
}

/** The tools found on PATH. */
export const commandTools: Tools = {
  async run(cmd) {
    const output = await new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
      .output().catch((error) => {
        throw new EnvironmentError(`cannot run ${cmd[0]}: ${(error as Error).message}`);
      });
    const decoder = new TextDecoder();
    return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
  },
};

/** Runs `cmd` and returns its output; a non-zero exit is an error naming `what` and the end of stderr. */
export async function must(tools: Tools, cmd: string[], what: string): Promise<string> {
  const result = await tools.run(cmd);
  if (result.code !== 0) {
    throw new EnvironmentError(
      `${what} failed (${cmd[0]} exit ${result.code}): ${result.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  }
  return result.stdout;
}
