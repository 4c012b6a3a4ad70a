/**
 * The secrets directory: one sub-directory per item, files 0600, directories 0700, every write atomic. Nothing here
 * prints or logs content.
 *
 * @example
 * ```ts
 * const store = new SecretStore("configs/secrets");
 * store.read("kubernetes-ca", "ca.crt");
 * ```
 * @module
 */
import { writeFileAtomic } from "../apply/write.ts";
import { readContent } from "../text/bytes.ts";

/** A secret file's content: text where it reads back exactly, else bytes. */
export type SecretContent = string | Uint8Array;

export class SecretStore {
  constructor(readonly dir: string) {}

  path(item: string, file: string): string {
    return `${this.dir}/${item}/${file}`;
  }

  /** The file's bytes, or undefined when it does not exist. */
  read(item: string, file: string): Uint8Array | undefined {
    try {
      return Deno.readFileSync(this.path(item, file));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  readText(item: string, file: string): string | undefined {
    const bytes = this.read(item, file);
    return bytes && new TextDecoder().decode(bytes);
  }

  /** Writes a file of an item, 0600 in a 0700 directory, atomically; returns whether it changed. */
  write(item: string, file: string, content: string | Uint8Array): boolean {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const before = this.read(item, file);
    if (before && before.length === bytes.length && before.every((b, i) => b === bytes[i])) return false;
    this.ensureDir();
    writeFileAtomic(this.path(item, file), bytes, { mode: 0o600, dirMode: 0o700 });
    Deno.chmodSync(`${this.dir}/${item}`, 0o700);
    return true;
  }

  /** Whether the directory exists. */
  exists(): boolean {
    try {
      return Deno.statSync(this.dir).isDirectory;
    } catch {
      return false;
    }
  }

  /**
   * The files `refs` name, by `<item>/<file>`, as text where they are text (readContent: boot compares them with
   * the installed copies), and the refs that are missing.
   */
  readRefs(refs: readonly { item: string; file: string }[]): { files: Map<string, SecretContent>; missing: string[] } {
    const files = new Map<string, SecretContent>();
    const missing: string[] = [];
    for (const { item, file } of refs) {
      try {
        files.set(`${item}/${file}`, readContent(this.path(item, file)));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        missing.push(`${item}/${file}`);
      }
    }
    return { files, missing };
  }

  /** Item names present in the directory. */
  items(): string[] {
    try {
      return [...Deno.readDirSync(this.dir)].filter((e) => e.isDirectory).map((e) => e.name).sort();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }

  /** Creates the directory 0700, and tightens it to 0700 if it exists more open. */
  ensureDir(): void {
    Deno.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const mode = (Deno.statSync(this.dir).mode ?? 0) & 0o777;
    if (mode !== 0o700) Deno.chmodSync(this.dir, 0o700);
  }
}
