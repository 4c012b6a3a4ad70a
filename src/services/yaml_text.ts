/**
 * Plain data (maps, lists, strings, numbers, booleans) as block YAML, for the YAML files daemons read
 * (KubeletConfiguration, kubeconfigs). Strings are always double-quoted JSON strings, which YAML reads verbatim, so
 * no value can change type ("no", "1.10") on the way. Deliberately tiny: it keeps the YAML library off the boot path.
 *
 * @example
 * ```ts
 * toYaml({ kind: "KubeletConfiguration", clusterDNS: ["10.20.0.11"] });
 * // kind: "KubeletConfiguration"\nclusterDNS:\n  - "10.20.0.11"\n
 * ```
 * @module
 */

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** Renders `value` (a map at the top) as YAML text ending in a newline. */
export function toYaml(value: { [key: string]: Value }): string {
  return block(value, "");
}

function scalar(value: string | number | boolean | null): string {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`cannot write ${value} as YAML`);
  return value === null ? "null" : typeof value === "string" ? JSON.stringify(value) : String(value);
}

function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(name) ? name : JSON.stringify(name);
}

function isEmpty(value: Value): boolean {
  return Array.isArray(value) ? value.length === 0 : typeof value === "object" && value !== null &&
    Object.keys(value).length === 0;
}

function block(value: Value, indent: string): string {
  let out = "";
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === "object" && !isEmpty(item)) {
        // The first line of a nested block goes after the dash; the rest keep its indentation.
        const nested = block(item, indent + "  ");
        out += `${indent}- ${nested.slice(indent.length + 2)}`;
      } else {
        out += `${indent}- ${inline(item)}\n`;
      }
    }
    return out;
  }
  for (const [name, item] of Object.entries(value as { [key: string]: Value })) {
    if (item !== null && typeof item === "object" && !isEmpty(item)) {
      out += `${indent}${key(name)}:\n${block(item, indent + "  ")}`;
    } else {
      out += `${indent}${key(name)}: ${inline(item)}\n`;
    }
  }
  return out;
}

function inline(value: Value): string {
  if (Array.isArray(value)) return "[]";
  if (value !== null && typeof value === "object") return "{}";
  return scalar(value);
}
