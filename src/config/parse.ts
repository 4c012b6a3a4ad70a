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
  type Pair,
  parseDocument,
  type Scalar,
  visit,
  type YAMLMap,
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

/** Plainer words for parser messages that speak of the parser's own interface. */
const OWN_MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: "a second YAML document starts here",
  KEY_OVER_1024_CHARS: "a key runs on for more than 1024 characters without its ':'",
};

/**
 * How deep maps and lists may nest. The deepest config file needs five levels; a limit of our own gives a clear
 * message at a stable place, where the parser would otherwise run out of stack somewhere deep inside the file.
 */
export const MAX_DEPTH = 64;

/** Parses one YAML file. Never throws for bad YAML: problems are returned with positions. */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    // Duplicate keys are found below in one pass: the parser's own check compares each key with every key before
    // it, which takes hours on a map of a few hundred thousand keys.
    uniqueKeys: false,
    strict: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, col };
  };
  const shape = inspect(doc);
  let problems: YamlProblem[];
  if (shape.tooDeep) {
    // Reported instead of whatever the parser made of it (a stack overflow deeper in, for the deepest files).
    problems = [{
      code: "TOO_DEEP",
      message: `maps and lists nest more than ${MAX_DEPTH} levels deep here`,
      ...at(shape.tooDeep.range?.[0] ?? 0),
    }];
  } else {
    // The first syntax error only: the parser's recovery turns one slip into a cascade of follow-on errors.
    problems = [...doc.errors, ...doc.warnings].slice(0, 1).map((e) => {
      const opener = e.code === "MISSING_CHAR" || /end with a [\]}]/.test(e.message)
        ? openAt(text, e.pos[0]).at(-1)
        : undefined;
      const bracket = opener !== undefined && (text[opener] === "[" || text[opener] === "{");
      if (bracket && !openAt(text, text.length).includes(opener)) {
        // Closed further on: the parser stopped at a continuation line indented no deeper than the key.
        const lineStart = text.lastIndexOf("\n", e.pos[0] - 1) + 1;
        return {
          code: "BAD_INDENT",
          message: `this line continues the ${text[opener]} opened on line ${
            at(opener).line
          }, and must be indented deeper`,
          ...at(firstNonBlankOnLine(text, lineStart)),
        };
      }
      if (opener !== undefined) {
        const char = text[opener];
        const message = char === '"' || char === "'"
          ? `this ${char === '"' ? "double" : "single"} quote is never closed`
          : `this ${char} is never closed by a ${char === "[" ? "]" : "}"}`;
        return { code: "MISSING_CHAR", message, ...at(opener) };
      }
      const offset = e.code === "BAD_INDENT" ? firstNonBlankOnLine(text, e.pos[0]) : e.pos[0];
      return { code: e.code, message: OWN_MESSAGES[e.code] ?? e.message.split("\n")[0], ...at(offset) };
    });
    if (problems.length === 0 && shape.badKey) {
      const { offset, kind } = shape.badKey;
      problems.push({ code: "BAD_KEY", message: `keys are plain names; this one is ${kind}`, ...at(offset) });
    }
    if (problems.length === 0 && shape.duplicate) {
      const key = shape.duplicate;
      problems.push({
        code: "DUPLICATE_KEY",
        message: `key ${JSON.stringify(clip(String(key.value)))} appears twice in this map`,
        ...at(key.range?.[0] ?? 0),
      });
    }
    if (problems.length === 0) problems.push(...aliasProblems(doc, shape.aliases, at));
  }
  let data: unknown = undefined;
  if (problems.length === 0 && doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch {
      // toJS refuses an alias without its anchor, and excessive alias expansion ("billion laughs"): report either
      // at the alias concerned, like any other YAML problem.
      const unresolved = firstAlias(doc, (alias) => alias.resolve(doc) === undefined);
      const alias = unresolved ?? firstAlias(doc, () => true);
      problems.push({
        code: unresolved ? "BAD_ALIAS" : "ALIAS_LIMIT",
        message: unresolved
          ? `alias *${unresolved.source} refers to no anchor before it`
          : `the aliases of this file expand to too many values (more than ${MAX_ALIASES} alias uses)`,
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
 * Aliases beyond {@link MAX_ALIASES}, and an alias inside the very node its anchor names (`a: &x [*x]`), which would
 * make the data contain itself: every later walk over it would go round for ever.
 */
function aliasProblems(doc: Document, aliases: Alias[], at: (offset: number) => Position): YamlProblem[] {
  const start = (node: Alias) => node.range?.[0] ?? 0;
  if (aliases.length > MAX_ALIASES) {
    const extra = aliases.sort((a, b) => start(a) - start(b))[MAX_ALIASES];
    return [{ code: "ALIAS_LIMIT", message: `more than ${MAX_ALIASES} aliases in one file`, ...at(start(extra)) }];
  }
  for (const alias of aliases.sort((a, b) => start(a) - start(b))) {
    const target = alias.resolve(doc);
    const [from, , to] = target?.range ?? [0, 0, 0];
    if (target && from <= start(alias) && start(alias) < to) {
      return [{
        code: "RECURSIVE_ALIAS",
        message:
          `alias *${alias.source} is inside the value its anchor &${alias.source} names, which would contain itself`,
        ...at(start(alias)),
      }];
    }
  }
  return [];
}

/** Long keys are cut in messages: a message is read on a console, not a place to reprint the input. */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

interface Shape {
  /** The first collection nested deeper than {@link MAX_DEPTH}. */
  tooDeep?: Node;
  /** The first key that repeats one before it in the same map (a plain scalar key; complex keys are not compared). */
  duplicate?: Scalar;
  /** The first key that is not a name: a list, a map, an alias, or nothing (`: value`, `~: value`). */
  badKey?: { offset: number; kind: string };
  /** Every alias (`*name`), in no particular order. */
  aliases: Alias[];
}

/**
 * One pass over the document's nodes, without recursion (so no depth exhausts the stack) and without following
 * aliases (so an alias bomb costs nothing here): the nesting depth and the first repeated key.
 */
function inspect(doc: Document): Shape {
  const shape: Shape = { aliases: [] };
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node)) shape.aliases.push(node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_DEPTH) {
      if (!shape.tooDeep || before(node as Node, shape.tooDeep)) shape.tooDeep = node as Node;
      continue;
    }
    const seen = new Set<string>();
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const kind = isMap(node) ? keyKind(item.key) : undefined;
        if (kind) {
          // An absent key (`: value`) has an empty range, placed by the parser before any comment above it.
          const range = (item.key as Node | null)?.range;
          const offset = range && range[0] < range[1] ? range[0] : (item.value as Node | null)?.range?.[0] ?? 0;
          if (!shape.badKey || offset < shape.badKey.offset) shape.badKey = { offset, kind };
        } else if (isMap(node) && isScalar(item.key)) {
          const id = `${typeof item.key.value}:${String(item.key.value)}`;
          if (seen.has(id) && (!shape.duplicate || before(item.key, shape.duplicate))) shape.duplicate = item.key;
          seen.add(id);
        }
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return shape;
}

/** What a map key is when it is not a name, else undefined. */
function keyKind(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null || key.value === "" ? "empty" : undefined;
  if (isMap(key)) return "a map";
  if (isSeq(key)) return "a list";
  if (isAlias(key)) return `the alias *${key.source}`;
  return "empty";
}

const before = (a: Node, b: Node) => (a.range?.[0] ?? 0) < (b.range?.[0] ?? 0);

/**
 * The brackets and the quote still open at `offset`, outermost first, scanning from the start: the parser notices a
 * missing `]` or closing quote only where the input no longer makes sense, but the mistake is at the opener.
 */
function openAt(text: string, offset: number): number[] {
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
  return quote === undefined ? open : [...open, quote];
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
      const pair = pairsOf(node).get(String(part));
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

/** Each map's pairs by key, built on first use: locating thousands of problems in one big map stays linear. */
const PAIRS = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsOf(map: YAMLMap): Map<string, Pair> {
  let pairs = PAIRS.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && !pairs.has(String(pair.key.value))) {
        pairs.set(String(pair.key.value), pair as Pair);
      }
    }
    PAIRS.set(map, pairs);
  }
  return pairs;
}

function offsetOf(doc: Document, path: readonly (string | number)[], key: boolean): number {
  const { node, keyNode, missing } = walk(doc, path);
  const target = key && missing === 0 && keyNode ? keyNode : node;
  return target?.range?.[0] ?? 0;
}
