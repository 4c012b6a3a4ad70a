import assert from "node:assert/strict";
import { activate } from "./activate.ts";
import type { Systemctl, SystemctlResult } from "./systemctl.ts";
import { EnvironmentError } from "../errors.ts";

/** Records calls and answers is-active from a set of running units, like systemd would. */
class RecordingSystemctl implements Systemctl {
  calls: string[][] = [];
  constructor(readonly running = new Set<string>(), readonly failOn?: string) {}
  run(args: string[]): Promise<SystemctlResult> {
    this.calls.push(args);
    if (args[0] === this.failOn) return Promise.resolve({ code: 1, stdout: "", stderr: "Access denied" });
    if (args[0] === "is-active") {
      const states = args.slice(1).map((u) => this.running.has(u) ? "active" : "inactive");
      return Promise.resolve({
        code: states.every((s) => s === "active") ? 0 : 3,
        stdout: states.join("\n") + "\n",
        stderr: "",
      });
    }
    if (args[0] === "start") { for (const u of args.slice(2)) this.running.add(u); }
    return Promise.resolve({ code: 0, stdout: "", stderr: "" });
  }
}

Deno.test("first activation reloads units and starts the targets", async () => {
  const systemctl = new RecordingSystemctl();
  const report = await activate(
    { start: ["kubernetes-master.target", "dns.target"], restarts: ["etcd.service"], unitFilesChanged: true },
    systemctl,
  );
  assert.deepEqual(systemctl.calls, [
    ["daemon-reload"],
    ["is-active", "kubernetes-master.target", "dns.target", "etcd.service"],
    ["start", "--no-block", "kubernetes-master.target", "dns.target"],
  ]);
  assert.deepEqual(report, { daemonReload: true, restarted: [], started: ["kubernetes-master.target", "dns.target"] });
});

Deno.test("a rerun with nothing changed only asks for states", async () => {
  const systemctl = new RecordingSystemctl(new Set(["kafka.target"]));
  const report = await activate({ start: ["kafka.target"], restarts: [], unitFilesChanged: false }, systemctl);
  assert.deepEqual(systemctl.calls, [["is-active", "kafka.target"]]);
  assert.deepEqual(report, { daemonReload: false, restarted: [], started: [] });
});

Deno.test("running units whose files changed are restarted; stopped ones are left to their target", async () => {
  const systemctl = new RecordingSystemctl(new Set(["kafka.target", "kafka.service"]));
  await activate(
    { start: ["kafka.target"], restarts: ["kafka.service", "coredns.service"], unitFilesChanged: false },
    systemctl,
  );
  assert.deepEqual(systemctl.calls.at(-1), ["try-restart", "--no-block", "kafka.service"]);
});

Deno.test("a failing systemctl is an environment error naming the command", async () => {
  const systemctl = new RecordingSystemctl(new Set(), "start");
  await assert.rejects(
    () => activate({ start: ["mqtt.target"], restarts: [], unitFilesChanged: false }, systemctl),
    (e: unknown) =>
      e instanceof EnvironmentError && /systemctl start --no-block mqtt.target failed.*Access denied/.test(e.message),
  );
});
