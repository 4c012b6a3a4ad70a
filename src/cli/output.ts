/**
 * Output for people and for journald: results on stdout, progress and problems on stderr. Colour only on a
 * terminal and never with NO_COLOR; under systemd (JOURNAL_STREAM set) each stderr line carries its syslog
 * priority prefix (`<3>` error, `<4>` warning, `<6>` info) so the journal files it correctly.
 *
 * @module
 */

import type { StepTiming } from "../report/boot_timeline.ts";

export interface Output {
  /** A line of the command's result, on stdout. */
  result(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** Whether stdout takes colour. */
  readonly color: boolean;
  /**
   * Runs one step of a longer job, logging `[started] name` and `[finished] name: summary (N ms)`, or
   * `[failed] name` when it throws. Ignition's shape: a failed boot shows exactly where it stopped.
   */
  step<T>(name: string, run: () => Promise<T> | T, summary?: (value: T) => string): Promise<T>;
  /** The steps run so far, with their start and duration, for the boot record. */
  readonly steps: readonly StepTiming[];
}

export interface OutputOptions {
  /** Force colour off (`--no-color`). */
  noColor?: boolean;
}

export function consoleOutput(options: OutputOptions = {}): Output {
  const env = (name: string) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  };
  const journal = env("JOURNAL_STREAM") !== undefined;
  const color = !options.noColor && env("NO_COLOR") === undefined && Deno.stdout.isTerminal();
  const errColor = !options.noColor && env("NO_COLOR") === undefined && !journal && Deno.stderr.isTerminal();
  const paint = (code: string, text: string) => errColor ? `\x1b[${code}m${text}\x1b[0m` : text;
  const log = (priority: number, text: string) => {
    const prefix = journal ? `<${priority}>` : "";
    writeLine(Deno.stderr, text.split("\n").map((line) => prefix + line).join("\n"));
  };
  const steps: StepTiming[] = [];
  return {
    color,
    steps,
    result: (text) => writeLine(Deno.stdout, text),
    info: (text) => log(6, text),
    warn: (text) => log(4, `${paint("1;33", "warning")}: ${text}`),
    error: (text) => log(3, `${paint("1;31", "error")}: ${text}`),
    async step(name, run, summary) {
      log(6, `${paint("2", "[started]")} ${name}`);
      const began = performance.now();
      const timing = (outcome: StepTiming["outcome"], text?: string): StepTiming => ({
        name,
        startMs: Math.round(began),
        durationMs: Math.round(performance.now() - began),
        outcome,
        ...(text ? { summary: text } : {}),
      });
      try {
        const value = await run();
        const done = timing("finished", summary?.(value));
        steps.push(done);
        log(
          6,
          `${paint("32", "[finished]")} ${name}${done.summary ? `: ${done.summary}` : ""} (${done.durationMs} ms)`,
        );
        return value;
      } catch (error) {
        steps.push(timing("failed"));
        log(3, `${paint("31", "[failed]")} ${name}`);
        throw error;
      }
    },
  };
}

const encoder = new TextEncoder();

/**
 * `text` and a newline, written whole. What console.log does for a string, without its formatting machinery, which
 * costs a quarter of a millisecond to warm up at every start of the process.
 */
function writeLine(stream: { writeSync(bytes: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(`${text}\n`);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  } catch (error) {
    // A reader that went away (clusterboot plan | head) wants no more: the rest is dropped, as console.log does.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}
