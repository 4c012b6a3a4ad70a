/**
 * CoreDNS: the cluster's domain with a record for every node and for the API server name, the Kubernetes zone
 * (services and pods, read from the API) when dns.yaml asks for it, everything else forwarded to the upstreams of
 * dns.yaml, with health and readiness endpoints.
 *
 * @module
 */
import { configFile, type Daemon, envFile, header, nodeVars, standardSources } from "./render.ts";
import { masters } from "./kubernetes_paths.ts";

export const COREDNS_CONFIG = "/etc/coredns/Corefile";
/** The cluster's names, in hosts-file form (the hosts plugin would read /etc/hosts otherwise, doubling answers). */
export const COREDNS_HOSTS = "/etc/coredns/cluster.hosts";
/** Installed by boot from the secrets; the unit hands it to CoreDNS as a credential. */
export const COREDNS_KUBECONFIG = "/etc/coredns/kubeconfig";

export const coredns: Daemon = {
  name: "coredns",
  unit: "coredns.service",
  dataDirs: [],
  units: () => ["coredns.service"],
  requires: (ctx) =>
    ctx.config.services.dns?.kubernetesZone && ctx.config.services.kubernetes ? [COREDNS_KUBECONFIG] : [],
  render(ctx) {
    const dns = ctx.config.services.dns!;
    const { cluster } = ctx.config;
    const kubernetes = ctx.config.services.kubernetes;
    const sources = standardSources("dns", ctx.node);
    const records = cluster.nodes.map((n) => `${n.ip} ${n.hostname}.${cluster.domain}`);
    if (kubernetes) {
      for (const m of masters(ctx.config)) records.push(`${m.ip} api.${cluster.domain}`);
    }
    const bind = `bind ${ctx.node.ip} 127.0.0.1`;
    const zone = dns.kubernetesZone && kubernetes
      ? [
        `${kubernetes.clusterDomain}:${dns.port} {`,
        `    ${bind}`,
        `    kubernetes ${kubernetes.clusterDomain} {`,
        `        kubeconfig ${COREDNS_KUBECONFIG}`,
        "        pods insecure",
        "    }",
        ...(dns.cacheSeconds > 0 ? [`    cache ${dns.cacheSeconds}`] : []),
        "    errors",
        "}",
        "",
      ]
      : [];
    const text = [
      `${cluster.domain}:${dns.port} {`,
      `    ${bind}`,
      `    hosts ${COREDNS_HOSTS} ${cluster.domain}`,
      "    errors",
      "}",
      "",
      ...zone,
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
      // Reread by the hosts plugin on its own when it changes: no restart.
      configFile(COREDNS_HOSTS, header(sources) + records.join("\n") + "\n", []),
    ];
  },
};
