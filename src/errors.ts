/**
 * The failures clusterboot reports, each with the exit code it maps to: 0 ok, 1 a failure of the environment (a
 * daemon, a disk), 2 invalid config or usage, 3 identity not determined.
 *
 * @example
 * ```ts
 * throw new UsageError('unknown command "bot"', 'did you mean "boot"?');
 * ```
 * @module
 */
import type { Diagnostic } from "./config/diagnostic.ts";

/** The command line was wrong. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The configuration is invalid; carries every diagnostic. Exit 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly exitCode = 2;
  constructor(
    readonly diagnostics: Diagnostic[],
    /** File texts by displayed name, for quoting the offending lines. */
    readonly texts: ReadonlyMap<string, string> = new Map(),
    /** Said when some checks could not run. */
    readonly note?: string,
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(`the configuration has ${errors} error${errors === 1 ? "" : "s"}`);
  }
}

/** This machine could not be matched to exactly one node. The report explains why. Exit 3. */
export class IdentityError extends Error {
  override name = "IdentityError";
  readonly exitCode = 3;
  constructor(message: string, readonly report: string) {
    super(message);
  }
}

/** Something outside clusterboot failed: a disk, a daemon, systemctl. Exit 1. */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
  readonly exitCode = 1;
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The exit code for any error: known failures carry theirs, anything else is a failure of the environment. */
export function exitCodeOf(error: unknown): number {
  return typeof (error as { exitCode?: unknown })?.exitCode === "number" ? (error as { exitCode: number }).exitCode : 1;
}
