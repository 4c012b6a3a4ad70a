/**
 * Kubeconfigs with the client certificate and key embedded, as kubeadm writes them.
 *
 * @example
 * ```ts
 * kubeconfig({ cluster: "lab", server: "https://10.20.0.11:6443", user: "kubernetes-admin", ca, cert, key });
 * ```
 * @module
 */
import { toYaml } from "../services/yaml_text.ts";
import { toBase64 } from "./pem.ts";

export interface KubeconfigParts {
  cluster: string;
  server: string;
  user: string;
  /** PEM texts. */
  ca: string;
  cert: string;
  key: string;
}

const b64 = (text: string) => toBase64(new TextEncoder().encode(text));

export function kubeconfig(parts: KubeconfigParts): string {
  const context = `${parts.user}@${parts.cluster}`;
  return toYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{
      name: parts.cluster,
      cluster: { "certificate-authority-data": b64(parts.ca), server: parts.server },
    }],
    users: [{
      name: parts.user,
      user: { "client-certificate-data": b64(parts.cert), "client-key-data": b64(parts.key) },
    }],
    contexts: [{ name: context, context: { cluster: parts.cluster, user: parts.user } }],
    "current-context": context,
    preferences: {},
  });
}
