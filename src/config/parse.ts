/**
 * YAML parsing that keeps positions, so every later problem can be reported at file:line:col.
 *
 * @example
 * ```ts
 * const parsed = parseYaml("cluster.yaml", "name: lab\n");
 * parsed.locate(["name"]); // { line: 1, col: 7 }
 * ```
 * @module
 */
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";

export interface Position {
  line: number;
  col: number;
}

/** A problem the YAML parser found, at its position. */
export interface YamlProblem extends Position {
  code: string;
  message: string;
}

export interface ParsedYaml {
  /** The plain data (maps, lists, scalars) when the text parsed; undefined after a syntax error. */
  data: unknown;
  problems: YamlProblem[];
  /**
   * The position of the value at `path`, or of its key when `key` is set. For a path that does not exist, the
   * position of the deepest part that does (so a missing key is reported at the map that lacks it).
   */
  locate(path: readonly (string | number)[], options?: { key?: boolean }): Position;
  /** Whether `path` exists in the document. */
  has(path: readonly (string | number)[]): boolean;
}

/** YAML aliases allowed per file: enough for anchors in hand-written configs, too few for an alias bomb. */
const MAX_ALIASES = 50;

/** Parses one YAML file. Never throws for bad YAML: problems are returned with positions. */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, col };
  };
  // The first syntax error only: the parser's recovery turns one slip into a cascade of follow-on errors.
  const problems: YamlProblem[] = [...doc.errors, ...doc.warnings].slice(0, 1).map((e) => {
    const opener = e.code === "MISSING_CHAR" || /end with a [\]}]/.test(e.message)
      ? unclosedOpener(text, e.pos[0])
      : undefined;
    if (opener !== undefined) {
      const char = text[opener];
      const message = char === '"' || char === "'"
        ? `this ${char === '"' ? "double" : "single"} quote is never closed`
        : `this ${char} is never closed by a ${char === "[" ? "]" : "}"}`;
      return { code: "MISSING_CHAR", message, ...at(opener) };
    }
    const offset = e.code === "BAD_INDENT" ? firstNonBlankOnLine(text, e.pos[0]) : e.pos[0];
    return { code: e.code, message: e.message.split("\n")[0], ...at(offset) };
  });
  let data: unknown = undefined;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      // toJS refuses an alias without its anchor, and excessive alias expansion ("billion laughs"): report either
      // at the alias concerned, like any other YAML problem.
      const unresolved = firstAlias(doc, (alias) => alias.resolve(doc) === undefined);
      const alias = unresolved ?? firstAlias(doc, () => true);
      problems.push({
        code: unresolved ? "BAD_ALIAS" : "ALIAS_LIMIT",
        message: unresolved ? `alias *${unresolved.source} refers to no anchor before it` : (error as Error).message,
        ...at(alias?.range?.[0] ?? 0),
      });
    }
  }
  return {
    data,
    problems,
    locate: (path, options = {}) => at(offsetOf(doc, path, options.key ?? false)),
    has: (path) => walk(doc, path).missing === 0,
  };
}

/**
 * The innermost bracket or quote still open at `offset`, scanning from the start: the parser notices a missing `]`
 * or closing quote only where the input no longer makes sense, but the mistake is at the opener.
 */
function unclosedOpener(text: string, offset: number): number | undefined {
  const open: number[] = [];
  let quote: number | undefined;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\" && text[quote] === '"') i++;
      else if (c === text[quote]) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s,\[{:]/.test(text[i - 1]))) quote = i;
    else if (c === "[" || c === "{") open.push(i);
    else if (c === "]" || c === "}") open.pop();
  }
  return quote ?? open.at(-1);
}

function firstNonBlankOnLine(text: string, offset: number): number {
  let i = offset;
  while (text[i] === " ") i++;
  return i;
}

function firstAlias(doc: Document, test: (alias: Alias) => boolean): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (test(alias)) {
        found = alias;
        return visit.BREAK;
      }
    },
  });
  return found;
}

interface Walked {
  node: Node | null;
  keyNode: Node | null;
  /** How many trailing parts of the path were not found. */
  missing: number;
}

function walk(doc: Document, path: readonly (string | number)[]): Walked {
  let node = doc.contents as Node | null;
  let keyNode: Node | null = null;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc) ?? null;
    const part = path[i];
    let next: Node | null | undefined = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (pair) {
        keyNode = pair.key as Node;
        next = (pair.value as Node | null) ?? null;
        // A key with no value (`key:`) has no value node, or an empty one: its key is where it is.
        const empty = next === null || (isScalar(next) && next.value === null && next.range?.[0] === next.range?.[1]);
        if (empty) return { node: keyNode, keyNode, missing: path.length - i - 1 };
      }
    } else if (isSeq(node) && typeof part === "number") {
      next = node.items[part] as Node | undefined;
      keyNode = null;
    }
    if (next === undefined) return { node, keyNode: null, missing: path.length - i };
    node = next;
  }
  return { node, keyNode, missing: 0 };
}

function offsetOf(doc: Document, path: readonly (string | number)[], key: boolean): number {
  const { node, keyNode, missing } = walk(doc, path);
  const target = key && missing === 0 && keyNode ? keyNode : node;
  return target?.range?.[0] ?? 0;
}
