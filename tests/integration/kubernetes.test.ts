import { afterAll, describe, expect, it } from "vitest";
import type { KubernetesObject, V1Deployment, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { createKubeClient, deploymentAvailable, KubeError, loadKubeConfig } from "@/server/integrations/kubernetes/client";
import { readStackEnv } from "../setup/stack-env";
import { uniq } from "../fixtures";

const stack = readStackEnv();
if (!stack.KUBECONFIG) throw new Error("KUBECONFIG missing from .stack/env: the cluster part of the stack is not up.");
const kube = createKubeClient(loadKubeConfig(stack.KUBECONFIG));
const namespaces: string[] = [];

const nsRef = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

async function tenantNamespace(): Promise<string> {
  const ns = `berth-it-${uniq()}`;
  namespaces.push(ns);
  await kube.apply({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns, labels: { tenant: "true", "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  await kube.apply({
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "tenant-quota", namespace: ns },
    spec: {
      hard: {
        "requests.cpu": "1",
        "limits.cpu": "2",
        "requests.memory": "1Gi",
        "limits.memory": "2Gi",
        persistentvolumeclaims: "2",
        "requests.storage": "5Gi",
      },
    },
  } as KubernetesObject);
  await kube.apply({
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "tenant-limits", namespace: ns },
    spec: {
      limits: [
        {
          type: "Container",
          default: { cpu: "250m", memory: "256Mi" },
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          max: { cpu: "1", memory: "1Gi" },
        },
      ],
    },
  } as KubernetesObject);
  return ns;
}

const restrictedContainer = (resources?: object) => ({
  name: "web",
  image: "nginxinc/nginx-unprivileged:alpine",
  ports: [{ containerPort: 8080 }],
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
  ...(resources ? { resources } : {}),
});

afterAll(async () => {
  for (const ns of namespaces) await kube.remove(nsRef(ns));
}, 120_000);

describe("Kubernetes adapter against the local control plane", () => {
  it("creates a namespace with a ResourceQuota and LimitRange, labelled as Berth's", async () => {
    const ns = await tenantNamespace();
    const live = await kube.observe<KubernetesObject>(nsRef(ns));
    expect(live?.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("berth");
    const quota = await kube.observe<KubernetesObject & { spec: { hard: Record<string, string> } }>({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "tenant-quota", namespace: ns },
    });
    expect(quota?.spec.hard["limits.cpu"]).toBe("2");
    const managers = quota?.metadata?.managedFields?.map((f) => f.manager);
    expect(managers).toContain("berth");
  });

  it("applying the same object twice changes nothing (resourceVersion stable)", async () => {
    const ns = await tenantNamespace();
    const cm: KubernetesObject & { data: Record<string, string> } = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "same", namespace: ns }, data: { a: "1" } };
    const first = await kube.apply(cm);
    const second = await kube.apply(cm);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const changed = await kube.apply({ ...cm, data: { a: "2" } });
    expect(changed.metadata?.resourceVersion).not.toBe(first.metadata?.resourceVersion);
  });

  it("a pod over the quota is refused by the API server, with its reason surfaced", async () => {
    const ns = await tenantNamespace();
    const err = await kube
      .create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "too-big", namespace: ns },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [restrictedContainer({ requests: { cpu: "900m", memory: "900Mi" }, limits: { cpu: "3", memory: "3Gi" } })],
        },
      } as KubernetesObject)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    const k = err as KubeError;
    expect(k.status).toBe(403);
    expect(k.transient).toBe(false);
    // Refused either by the LimitRange (max 1 CPU per container) or the quota: the server's words come through.
    expect(k.message).toMatch(/create Pod .*\/too-big: .*(exceeded quota|maximum cpu usage)/);
  });

  it("a pod that breaks Pod Security 'restricted' is refused", async () => {
    const ns = await tenantNamespace();
    const err = await kube
      .create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "root", namespace: ns },
        spec: { containers: [{ name: "c", image: "nginx:alpine" }] },
      } as KubernetesObject)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).message).toMatch(/violates PodSecurity "restricted/);
  });

  it("a Deployment with a longhorn volume becomes Available with Ready pods, and its claim binds", async () => {
    const ns = await tenantNamespace();
    await kube.apply({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "web-data", namespace: ns },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "longhorn", resources: { requests: { storage: "1Gi" } } },
    } as V1PersistentVolumeClaim as KubernetesObject);
    await kube.apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{ ...restrictedContainer(), volumeMounts: [{ name: "docroot", mountPath: "/usr/share/nginx/html" }] }],
            volumes: [{ name: "docroot", persistentVolumeClaim: { claimName: "web-data" } }],
          },
        },
      },
    } as V1Deployment as KubernetesObject);
    const started = Date.now();
    const dep = await kube.waitFor<V1Deployment & KubernetesObject>(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns } },
      deploymentAvailable,
      { timeoutMs: 90_000, what: "Available" },
    );
    expect(dep.status?.readyReplicas).toBe(1);
    const pvc = await kube.observe<V1PersistentVolumeClaim & KubernetesObject>({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "web-data", namespace: ns },
    });
    expect(pvc?.status?.phase).toBe("Bound");
    console.log(`deployment Available in ${Date.now() - started} ms`);
  }, 120_000);

  it("deleting a namespace finishes (namespace controller) and the wait sees it gone", async () => {
    const ns = await tenantNamespace();
    await kube.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: ns }, data: { a: "b" } });
    await kube.remove(nsRef(ns));
    await kube.waitGone(nsRef(ns), { timeoutMs: 90_000 });
    expect(await kube.observe(nsRef(ns))).toBeNull();
    // Removing what is already gone is success.
    await kube.remove(nsRef(ns));
  }, 120_000);

  it("a deadline that passes is a clear, non-transient error", async () => {
    const ns = await tenantNamespace();
    const err = await kube
      .waitFor({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "never", namespace: ns } }, () => true, { timeoutMs: 500, what: "created" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).message).toBe(`ConfigMap ${ns}/never was not created after 1 s`);
  });
});
