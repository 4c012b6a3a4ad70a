/**
 * The objects a new cluster needs in its API before nodes can join and daemons can read it: the bootstrap token as
 * kubeadm stores it, the RBAC that lets token holders ask for kubelet certificates and have them approved, and
 * CoreDNS's read access when it serves the Kubernetes zone. Pure: configuration and token in, objects out.
 *
 * @example
 * ```ts
 * clusterObjects(config, "abcdef.0123456789abcdef").map((o) => `${o.kind}/${o.metadata.name}`);
 * ```
 * @module
 */
import type { Config } from "../config/model.ts";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The group the bootstrap token authenticates as (kubeadm's default group name, under our name). */
export const BOOTSTRAP_GROUP = "system:bootstrappers:clusterboot:default-node-token";
const LABELS = { "app.kubernetes.io/managed-by": "clusterboot" };

function binding(name: string, role: string, subject: { kind: "Group" | "User"; name: string }): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name, labels: LABELS },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", ...subject }],
  };
}

export function clusterObjects(config: Config, token: string): KubeObject[] {
  const [id, secret] = token.split(".");
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `bootstrap-token-${id}`, namespace: "kube-system", labels: LABELS },
      type: "bootstrap.kubernetes.io/token",
      stringData: {
        "token-id": id,
        "token-secret": secret,
        "usage-bootstrap-authentication": "true",
        "usage-bootstrap-signing": "true",
        "auth-extra-groups": BOOTSTRAP_GROUP,
        "description": "made by clusterboot pki init for nodes joining the cluster",
      },
    },
    // A token holder may ask for a kubelet client certificate...
    binding("clusterboot:kubelet-bootstrap", "system:node-bootstrapper", { kind: "Group", name: BOOTSTRAP_GROUP }),
    // ...which is approved by itself, as are kubelets' renewals of their own.
    binding(
      "clusterboot:node-autoapprove-bootstrap",
      "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
      { kind: "Group", name: BOOTSTRAP_GROUP },
    ),
    binding(
      "clusterboot:node-autoapprove-certificate-rotation",
      "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
      { kind: "Group", name: "system:nodes" },
    ),
  ];
  if (config.services.dns?.kubernetesZone) {
    objects.push(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "system:coredns", labels: LABELS },
        rules: [
          { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
          { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
        ],
      },
      binding("system:coredns", "system:coredns", { kind: "User", name: "system:coredns" }),
    );
  }
  return objects;
}

/** The API path of an object, for server-side apply. */
export function objectPath(object: KubeObject): string {
  const resources: Record<string, string> = {
    Secret: "secrets",
    ConfigMap: "configmaps",
    ClusterRole: "clusterroles",
    ClusterRoleBinding: "clusterrolebindings",
    Role: "roles",
    RoleBinding: "rolebindings",
  };
  const resource = resources[object.kind];
  if (!resource) throw new RangeError(`no API path known for kind ${object.kind}`);
  const base = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const namespace = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : "";
  return `${base}${namespace}/${resource}/${object.metadata.name}`;
}
