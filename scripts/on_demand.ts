/**
 * Chunks the runtime should not read at start. Before it runs an entry, the runtime builds the entry's module graph:
 * it reads, hashes and looks up in its cache every module an import names as a string literal, a dynamic import's
 * too, whether or not the run will load it. The boot-time entry's validation chunk (the YAML parser and the schema,
 * about half the bundle's bytes) is loaded only when a configuration must be validated in full, which a node's boot
 * from its compiled snapshot never does: naming it as the result of an expression keeps it out of the graph, and the
 * runtime reads it when the import runs. boot --dry-run 0.984× in instructions (callgrind), render --service etcd 0.982×.
 *
 * @example
 * ```ts
 * loadedOnDemand(`await import("./validate-AB12.js")`, ["validate-AB12.js"]);
 * // => `await import(String("./validate-AB12.js"))`
 * ```
 * @module
 */

/**
 * `bundle` with each dynamic import of `chunks` (file names beside it) written so that the runtime does not follow it
 * ahead of time. A chunk the bundle does not import that way is an error: the bundler's output has changed shape.
 */
export function loadedOnDemand(bundle: string, chunks: readonly string[]): string {
  let out = bundle;
  for (const chunk of chunks) {
    const literal = `import("./${chunk}")`;
    if (!out.includes(literal)) throw new Error(`the bundle has no ${literal}: cannot keep ${chunk} out of its graph`);
    out = out.replaceAll(literal, `import(String("./${chunk}"))`);
  }
  return out;
}
