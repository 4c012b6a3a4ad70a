/**
 * The runtime's cache for the image: V8's compiled code of clusterboot's bundles, made at build time where the image
 * will have them, so that a node's first run of each boot (cluster-detect's `boot`) does not compile the bundle.
 * The live root forgets everything at power-off: without this the runtime compiled the whole boot bundle at every
 * boot. A boot --dry-run with this cache against an empty one: 0.49× (21 pairs of whole runs); 75 against 232
 * million instructions (callgrind).
 *
 * The cache is keyed by the module's URL and its compiled code names it, so the bundle must run at the image's own
 * path: the payload's /usr/local is bound over the build machine's, in a mount namespace of its own.
 *
 * @module
 */
import { IMAGE_PATHS } from "./image.ts";

/** The runtime's cache directory on a node; the image's launcher sets it (DENO_DIR) for every run of clusterboot. */
export const RUNTIME_CACHE = "/var/cache/clusterboot/deno";

/**
 * Runs that load the modules a node starts with: `boot --help` the boot-time entry (boot and render), and
 * `completions bash` the entry of every other command (it loads a command module, and with it makes the pass of the
 * event loop in which the runtime stores compiled code). With `--no-lazy` a module's cached code holds all its
 * functions, whatever ran.
 */
export const WARMING_RUNS: readonly string[][] = [["boot", "--help"], ["completions", "bash"]];

/**
 * The command that runs `args` with the image's clusterboot, in a mount namespace where the payload's /usr/local is
 * the machine's, writing the runtime's cache into the payload.
 */
export function warmingCommand(payload: string, args: readonly string[]): string[] {
  const local = IMAGE_PATHS.binDir.slice(0, IMAGE_PATHS.binDir.lastIndexOf("/"));
  return [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "sh",
    "-c",
    'mount --bind "$1" "$2" && shift 2 && exec "$@"',
    "sh",
    `${payload}${local}`,
    local,
    IMAGE_PATHS.clusterboot,
    ...args,
  ];
}

/**
 * Makes the runtime's cache in `payload` (the image's layer with clusterboot in place): runs {@link WARMING_RUNS} at
 * the image's paths, then settles the databases. Needs root (a mount namespace).
 */
export async function warmRuntimeCache(payload: string): Promise<{ databases: number; bytes: number }> {
  const cache = `${payload}${RUNTIME_CACHE}`;
  await Deno.mkdir(cache, { recursive: true });
  for (const args of WARMING_RUNS) {
    const [command, ...rest] = warmingCommand(payload, args);
    const ran = await new Deno.Command(command, { args: rest, env: { DENO_DIR: cache }, stdin: "null" }).output();
    if (!ran.success) {
      const output = new TextDecoder().decode(ran.stderr).trim();
      throw new Error(`making the runtime's cache: clusterboot ${args.join(" ")} failed (exit ${ran.code}): ${output}`);
    }
  }
  return await settleCache(cache);
}

/**
 * Leaves the cache's databases as single files with the same bytes for the same inputs: the runtime writes them in
 * write-ahead mode, whose log carries random salts. A node's runtime turns the mode back on at its first run.
 */
async function settleCache(dir: string): Promise<{ databases: number; bytes: number }> {
  const { DatabaseSync } = await import("node:sqlite");
  const sideFile = /-(wal|shm|journal)$/;
  let databases = 0;
  let bytes = 0;
  const names = [...Deno.readDirSync(dir)].filter((e) => e.isFile && !sideFile.test(e.name)).map((e) => e.name);
  for (const name of names.sort()) {
    const db = new DatabaseSync(`${dir}/${name}`);
    try {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
      // Rows in a fixed order: the runtime loads modules concurrently and stores them as each one is done.
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      for (const { name: table } of tables as { name: string }[]) {
        const columns = db.prepare(`PRAGMA table_info("${table}")`).all().length;
        const order = Array.from({ length: columns }, (_, i) => i + 1).join(", ");
        db.exec(`CREATE TEMP TABLE sorted AS SELECT * FROM "${table}" ORDER BY ${order};
          DELETE FROM "${table}"; INSERT INTO "${table}" SELECT * FROM sorted ORDER BY ${order}; DROP TABLE sorted;`);
      }
      db.exec("VACUUM;");
    } finally {
      db.close();
    }
    databases++;
    bytes += Deno.statSync(`${dir}/${name}`).size;
  }
  const left = [...Deno.readDirSync(dir)].filter((e) => sideFile.test(e.name)).map((e) => e.name);
  if (left.length) throw new Error(`${dir}: ${left.join(", ")} left after settling the runtime's cache`);
  return { databases, bytes };
}
