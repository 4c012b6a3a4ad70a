/**
 * CoreDNS: the cluster's domain with a record for every node and for the API server name, everything else
 * forwarded to the upstreams in dns.yaml, with health and readiness endpoints.
 *
 * @module
 */
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";
import { masters } from "./kubernetes_paths.ts";

export const COREDNS_CONFIG = "/etc/coredns/Corefile";

export const coredns: Daemon = {
  name: "coredns",
  unit: "coredns.service",
  units: () => ["coredns.service"],
  render(ctx) {
    const dns = ctx.config.services.dns!;
    const { cluster } = ctx.config;
    const sources = standardSources("dns", ctx.node);
    const records = cluster.nodes.map((n) => `        ${n.ip} ${n.hostname}.${cluster.domain}`);
    if (cluster.services.includes("kubernetes")) {
      for (const m of masters(ctx.config)) records.push(`        ${m.ip} api.${cluster.domain}`);
    }
    const bind = `bind ${ctx.node.ip} 127.0.0.1`;
    const text = [
      `${cluster.domain}:${dns.port} {`,
      `    ${bind}`,
      "    hosts {",
      ...records,
      "    }",
      "    errors",
      "}",
      "",
      `.:${dns.port} {`,
      `    ${bind}`,
      `    forward . ${dns.upstreams.join(" ")}`,
      ...(dns.cacheSeconds > 0 ? [`    cache ${dns.cacheSeconds}`] : []),
      "    health 127.0.0.1:8080",
      "    ready 127.0.0.1:8181",
      "    errors",
      "}",
      "",
    ].join("\n");
    const units = this.units(ctx.node);
    return [
      envFile("coredns", sources, { ...nodeVars(ctx), COREDNS_CONFIG }, units),
      configFile(COREDNS_CONFIG, header(sources) + text, units),
    ];
  },
};
