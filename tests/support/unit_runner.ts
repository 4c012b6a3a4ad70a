/**
 * Starting a daemon the way its systemd unit would, inside a node sandbox: the unit's ExecStartPre lines (our
 * `clusterboot render`), its EnvironmentFile, `$VAR` and `${VAR}` expanded by systemd's rules, its User=, then its
 * ExecStart. The unit file in units/ is read, so a wrong unit fails these tests too. Binary paths that the image
 * provides (/usr/local/bin/...) are mapped to where this machine has them.
 *
 * @module
 */
import type { NodeSandbox } from "./node_sandbox.ts";
import { type Daemon, runCommand, startDaemon } from "./process.ts";

const UNITS = new URL("../../units/", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

export interface UnitOptions {
  /** Absolute binary paths as the unit names them → where they are here. */
  binaries?: Record<string, string>;
  /** Extra arguments appended to ExecStart (e.g. a port the test needs), after expansion. */
  extraArgs?: string[];
}

interface ServiceSection {
  execStartPre: string[];
  execStart: string;
  user?: string;
  environmentFile?: string;
  /** Environment= assignments, before the EnvironmentFile's (which win). */
  environment: Record<string, string>;
  stateDirectories: string[];
  stateDirectoryMode?: string;
  /** AmbientCapabilities=, kept across the switch to User=. */
  ambientCapabilities: string[];
}

export function readUnit(unit: string): ServiceSection {
  const file = unit.includes("@") ? unit.replace(/@[^.]*\./, "@.") : unit;
  const text = Deno.readTextFileSync(`${UNITS}${file}`);
  const service = text.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? "";
  const values = (key: string) => [...service.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1].trim());
  return {
    execStartPre: values("ExecStartPre"),
    execStart: values("ExecStart")[0],
    user: values("User")[0],
    environmentFile: values("EnvironmentFile")[0]?.replace(/^-/, ""),
    environment: Object.fromEntries(
      values("Environment").flatMap((v) => [...v.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]))
        .map((
          assignment,
        ) => [assignment.slice(0, assignment.indexOf("=")), assignment.slice(assignment.indexOf("=") + 1)]),
    ),
    stateDirectories: values("StateDirectory").flatMap((v) => v.split(/\s+/)),
    stateDirectoryMode: values("StateDirectoryMode")[0],
    ambientCapabilities: values("AmbientCapabilities").flatMap((v) => v.split(/\s+/)).filter(Boolean),
  };
}

/** systemd's EnvironmentFile: KEY=value lines, values optionally double-quoted with backslash escapes. */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2];
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
    env[match[1]] = value;
  }
  return env;
}

/** Expands a command line as systemd does: `${VAR}` is one word, `$VAR` splits on whitespace; %i the instance. */
export function expandCommand(line: string, env: Record<string, string>, instance = ""): string[] {
  const words: string[] = [];
  for (const word of line.replace(/%i/g, instance).match(/"[^"]*"|\S+/g) ?? []) {
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (bare) words.push(...(env[bare[1]] ?? "").split(/\s+/).filter(Boolean));
    else words.push(word.replace(/^"|"$/g, "").replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k) => env[k] ?? ""));
  }
  return words;
}

/** The mapping every test needs: our own executable for the image's /usr/local/bin/clusterboot. */
export const CLUSTERBOOT_BINARY: Record<string, string> = { "/usr/local/bin/clusterboot": `${ROOT}dist/clusterboot` };

/** Runs the unit's ExecStartPre lines, then starts its ExecStart; throws with the output if a pre-start fails. */
export async function startUnit(node: NodeSandbox, unit: string, options: UnitOptions = {}): Promise<Daemon> {
  const section = readUnit(unit);
  await makeStateDirectories(node, section);
  const instance = unit.includes("@") ? unit.slice(unit.indexOf("@") + 1, unit.lastIndexOf(".")) : "";
  const map = (argv: string[]) => {
    const binaries: Record<string, string> = { ...CLUSTERBOOT_BINARY, ...options.binaries };
    return argv.map((a, i) => (i === 0 && binaries[a]) ? binaries[a] : a);
  };
  for (const pre of section.execStartPre) {
    const prefix = /^[+\-!@:]*/.exec(pre)![0];
    const argv = map(expandCommand(pre.slice(prefix.length), {}, instance));
    const result = await runCommand(
      node.command(prefix.includes("+") || !section.user ? argv : asUser(section.user, argv)),
    )
      .catch((error) => ({ code: 127, stdout: "", stderr: String(error) }));
    // "-": systemd ignores this line's failure.
    if (result.code !== 0 && !prefix.includes("-")) {
      throw new Error(
        `${unit} on ${node.name}: ExecStartPre ${argv.join(" ")} failed (${result.code}):\n${result.stderr}`,
      );
    }
  }
  const env = {
    ...section.environment,
    ...(section.environmentFile
      ? parseEnvironmentFile((await runCommand(node.command(["cat", section.environmentFile]))).stdout)
      : {}),
  };
  const argv = [...map(expandCommand(section.execStart, env, instance)), ...(options.extraArgs ?? [])];
  const command = section.user ? asUser(section.user, argv, section.ambientCapabilities) : argv;
  return startDaemon(["env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...node.command(command)]);
}

/** What systemd does for StateDirectory=: /var/lib/<dir>, owned by User=, with StateDirectoryMode= (0755). */
async function makeStateDirectories(node: NodeSandbox, section: ServiceSection): Promise<void> {
  const passwd = await Deno.readTextFile(`${node.root}/etc/passwd`);
  const entry = section.user && passwd.split("\n").find((l) => l.startsWith(`${section.user}:`))?.split(":");
  for (const dir of section.stateDirectories) {
    const path = `${node.state}/var/lib/upper/${dir}`;
    await Deno.mkdir(path, { recursive: true });
    await Deno.chmod(path, parseInt(section.stateDirectoryMode ?? "0755", 8));
    if (entry) await Deno.chown(path, Number(entry[2]), Number(entry[3]));
  }
}

function asUser(user: string, argv: string[], capabilities: string[] = []): string[] {
  const caps = capabilities.map((c) => `+${c.toLowerCase().replace(/^cap_/, "")}`).join(",");
  return [
    "setpriv",
    `--reuid=${user}`,
    `--regid=${user}`,
    "--init-groups",
    ...(caps ? ["--inh-caps", caps, "--ambient-caps", caps] : []),
    ...argv,
  ];
}
