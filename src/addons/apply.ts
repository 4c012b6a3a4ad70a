/**
 * Putting objects into the API with server-side apply, once the API server answers: idempotent (an unchanged object
 * stays unchanged) and owned by the field manager `clusterboot`. Talks HTTPS with the client certificate of a
 * kubeconfig; never prints a Secret's content.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import type { KubeObject } from "./manifests.ts";
import { objectPath } from "./manifests.ts";

export interface ApiClient {
  server: string;
  request(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; text: string }>;
}

/** A client from a kubeconfig's first cluster and user (certificate data embedded, as clusterboot writes them). */
export async function clientFromKubeconfig(path: string): Promise<ApiClient> {
  const { parse } = await import("yaml");
  let kubeconfig;
  try {
    kubeconfig = parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new EnvironmentError(`cannot read kubeconfig ${path}: ${(error as Error).message}`);
  }
  const cluster = kubeconfig?.clusters?.[0]?.cluster;
  const user = kubeconfig?.users?.[0]?.user;
  const data = (value: unknown) => typeof value === "string" ? atob(value) : undefined;
  const ca = data(cluster?.["certificate-authority-data"]);
  const cert = data(user?.["client-certificate-data"]);
  const key = data(user?.["client-key-data"]);
  if (!cluster?.server || !ca || !cert || !key) {
    throw new EnvironmentError(`kubeconfig ${path} lacks a server, CA data or client certificate data`);
  }
  const http = Deno.createHttpClient({ caCerts: [ca], cert, key });
  return {
    server: cluster.server,
    async request(method, requestPath, body, contentType = "application/json") {
      const response = await fetch(`${cluster.server}${requestPath}`, {
        method,
        body,
        client: http,
        headers: body ? { "Content-Type": contentType } : {},
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, text: await response.text() };
    },
  };
}

/** Waits until /readyz says ok, or throws after `timeoutMs`. */
export async function waitForApi(client: ApiClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const { status, text } = await client.request("GET", "/readyz");
      if (status === 200 && text.trim() === "ok") return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new EnvironmentError(`the API server at ${client.server} is not ready after ${timeoutMs / 1000} s: ${last}`);
}

/** Applies each object; returns one line per object, e.g. `ClusterRoleBinding clusterboot:kubelet-bootstrap`. */
export async function applyObjects(client: ApiClient, objects: readonly KubeObject[]): Promise<string[]> {
  const applied: string[] = [];
  for (const object of objects) {
    const name = `${object.kind} ${
      object.metadata.namespace ? `${object.metadata.namespace}/` : ""
    }${object.metadata.name}`;
    const { status, text } = await client.request(
      "PATCH",
      `${objectPath(object)}?fieldManager=clusterboot&force=true`,
      JSON.stringify(object),
      "application/apply-patch+yaml",
    );
    if (status !== 200 && status !== 201) {
      // The API's error says why (a message, never the object's data).
      let reason = text;
      try {
        reason = JSON.parse(text).message ?? text;
      } catch {
        // not JSON
      }
      throw new EnvironmentError(`applying ${name} failed: HTTP ${status}: ${reason}`);
    }
    applied.push(name);
  }
  return applied;
}
