import assert from "node:assert/strict";
import { loadedOnDemand } from "./on_demand.ts";

Deno.test("a chunk loaded on demand is imported through an expression, every time the bundle names it", () => {
  const bundle =
    `let v=()=>import("./validate-AB12.js");await import("./code_cache-X9.js");v=import("./validate-AB12.js");`;
  assert.equal(
    loadedOnDemand(bundle, ["validate-AB12.js"]),
    `let v=()=>import(String("./validate-AB12.js"));await import("./code_cache-X9.js");` +
      `v=import(String("./validate-AB12.js"));`,
  );
});

Deno.test("a chunk the bundle does not import is an error, not a silent no-op", () => {
  assert.throws(
    () => loadedOnDemand(`import("./other.js")`, ["validate-AB12.js"]),
    /no import\("\.\/validate-AB12\.js"\)/,
  );
});

Deno.test("the built boot-time entry keeps its validation chunk out of the runtime's graph", () => {
  const lib = new URL("../dist/lib/boot/", import.meta.url).pathname;
  const entry = Deno.readTextFileSync(`${lib}boot_main.js`);
  const chunk = [...Deno.readDirSync(lib)].map((e) => e.name).find((n) => n.startsWith("validate-"));
  assert.ok(chunk, "no validation chunk in the build");
  assert.ok(!entry.includes(`import("./${chunk}")`), "the validation chunk is named by a literal import");
  assert.ok(entry.includes(`import(String("./${chunk}"))`));
});
