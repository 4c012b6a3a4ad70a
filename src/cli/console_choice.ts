/**
 * Asking the operator at the console which node this machine is, when the evidence decided nothing. Only with a
 * terminal on both stdin and stderr: under systemd, or piped, there is nobody to ask and boot stops with exit 3.
 *
 * @module
 */
import type { Candidate } from "../identity/candidates.ts";
import { pickCandidate } from "../identity/candidates.ts";

/** Whether someone can answer: stdin and stderr are a terminal. */
export function consoleAttached(): boolean {
  return Deno.stdin.isTerminal() && Deno.stderr.isTerminal();
}

/** One line from stdin (a terminal in canonical mode returns a line per read); undefined at end of input. */
function readLine(): string | undefined {
  const buffer = new Uint8Array(1024);
  const count = Deno.stdin.readSync(buffer);
  return count === null ? undefined : new TextDecoder().decode(buffer.subarray(0, count)).replace(/\r?\n$/, "");
}

/**
 * Lists the candidates with their evidence and asks until the answer names one (by number or name). An empty
 * answer, `q`, or the end of input gives up: undefined.
 */
export function chooseAtConsole(reason: string, candidates: readonly Candidate[]): string | undefined {
  const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
  write(`\nclusterboot could not decide which node this machine is: ${reason}\n\n`);
  candidates.forEach((candidate, i) => {
    write(`  ${String(i + 1).padStart(2)}) ${candidate.node}\n`);
    for (const line of candidate.evidence) write(`      ${line}\n`);
  });
  for (;;) {
    write(`\nwhich node is this machine? number or name, empty to stop: `);
    const answer = readLine();
    if (answer === undefined || answer.trim() === "" || answer.trim() === "q") return undefined;
    const node = pickCandidate(answer, candidates);
    if (node) return node;
    write(`"${answer.trim()}" is not one of the nodes listed\n`);
  }
}
