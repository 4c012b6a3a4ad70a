/**
 * Running systemctl. Behind an interface so tests can record calls; the CLI tests go further and put a stand-in
 * `systemctl` on PATH, so the real runner below is what they exercise.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";

export interface SystemctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Systemctl {
  run(args: string[]): Promise<SystemctlResult>;
}

/** The `systemctl` found on PATH. */
export class CommandSystemctl implements Systemctl {
  async run(args: string[]): Promise<SystemctlResult> {
    let output: Deno.CommandOutput;
    try {
      output = await new Deno.Command("systemctl", { args, stdin: "null", stdout: "piped", stderr: "piped" })
        .output();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new EnvironmentError("systemctl not found on PATH", "boot activates units through systemd");
      }
      throw error;
    }
    const decoder = new TextDecoder();
    return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
  }
}
