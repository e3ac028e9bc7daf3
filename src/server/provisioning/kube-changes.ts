import type { KubernetesObject } from "@kubernetes/client-node";
import { KubeError, MANAGED_BY, type KubeClient } from "@/server/integrations/kubernetes/client";
import { PermanentError, type Change } from "./step";
import { refOf } from "./kube-ref";

/**
 * Kubernetes objects as changes: ensure observes first and applies only what
 * differs (an unchanged object costs one GET and writes nothing), reporting
 * create / update / unchanged; plan asks the API server for a server-side
 * dry-run apply and diffs it field by field against the live object.
 */

const target = (o: KubernetesObject) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

/** As kube.apply sends it: labelled as Berth's. */
const labelled = (o: KubernetesObject): KubernetesObject => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata?.labels, ...MANAGED_BY } } });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Does `live` already hold everything `want` says (extra live fields, defaults and status aside)? */
export function covers(live: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(live) && live.length === want.length && want.every((w, i) => covers(live[i], w));
  if (isObject(want)) return isObject(live) && Object.entries(want).every(([k, w]) => covers(live[k], w));
  return live === want || (live !== undefined && live !== null && String(live) === String(want));
}

/** Paths of `want` that `live` does not hold, e.g. ["spec.replicas"]. */
export function differingPaths(live: unknown, want: unknown, path = "", out: string[] = []): string[] {
  if (out.length >= 20) return out;
  if (isObject(want) && isObject(live)) {
    for (const [k, w] of Object.entries(want)) differingPaths(live[k], w, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(want) && Array.isArray(live) && live.length === want.length) {
    want.forEach((w, i) => differingPaths(live[i], w, `${path}[${i}]`, out));
  } else if (!covers(live, want)) {
    out.push(path || "(object)");
  }
  return out;
}

/** Server-owned bookkeeping that differs between any two reads. */
const VOLATILE = new Set(["resourceVersion", "managedFields", "generation", "uid", "creationTimestamp"]);
const comparable = (o: KubernetesObject) => {
  const { status: _status, ...rest } = o as KubernetesObject & { status?: unknown };
  return { ...rest, metadata: Object.fromEntries(Object.entries(o.metadata ?? {}).filter(([k]) => !VOLATILE.has(k))) };
};

export async function ensureObject(kube: KubeClient, obj: KubernetesObject): Promise<Change> {
  const want = labelled(obj);
  const live = await kube.observe(refOf(obj));
  if (!live) {
    await kube.apply(obj);
    return { system: "kubernetes", action: "create", target: target(obj) };
  }
  if (covers(live, want)) return { system: "kubernetes", action: "unchanged", target: target(obj) };
  const fields = differingPaths(live, want);
  const after = await kube.apply(obj);
  // The API server normalises some values ("1000m" is "1"): an apply that changed nothing is not a change.
  if (after.metadata?.resourceVersion === live.metadata?.resourceVersion) return { system: "kubernetes", action: "unchanged", target: target(obj) };
  return { system: "kubernetes", action: "update", target: target(obj), fields };
}

export const ensureObjects = (kube: KubeClient, objs: KubernetesObject[]) => Promise.all(objs.map((o) => ensureObject(kube, o)));

export async function planObject(kube: KubeClient, obj: KubernetesObject): Promise<Change> {
  const live = await kube.observe(refOf(obj));
  let dry: KubernetesObject;
  try {
    dry = await kube.apply(obj, { dryRun: true });
  } catch (e) {
    // A namespaced object cannot be dry-run before its namespace exists: it is created after it.
    if (e instanceof KubeError && e.status === 404 && !live) return { system: "kubernetes", action: "create", target: target(obj), note: "validated once its namespace exists" };
    if (e instanceof KubeError && !e.transient) throw new PermanentError(`Kubernetes would refuse ${target(obj)}: ${e.message}`);
    throw e;
  }
  if (!live) return { system: "kubernetes", action: "create", target: target(obj) };
  const fields = differingPaths(comparable(live), comparable(dry));
  return fields.length ? { system: "kubernetes", action: "update", target: target(obj), fields } : { system: "kubernetes", action: "unchanged", target: target(obj) };
}

export const planObjects = (kube: KubeClient, objs: KubernetesObject[]) => Promise.all(objs.map((o) => planObject(kube, o)));

export async function removeObject(kube: KubeClient, obj: KubernetesObject, opts: { propagation?: "Foreground" | "Background" } = {}): Promise<Change> {
  const ref = refOf(obj);
  const live = await kube.observe(ref);
  if (!live) return { system: "kubernetes", action: "unchanged", target: target(obj), note: "already gone" };
  await kube.remove(ref, opts);
  return { system: "kubernetes", action: "delete", target: target(obj) };
}

/** Plans a removal that ensure does when something is no longer wanted (e.g. the db-data volume). */
export async function planAbsent(kube: KubeClient, obj: KubernetesObject): Promise<Change> {
  const live = await kube.observe(refOf(obj));
  return live ? { system: "kubernetes", action: "delete", target: target(obj) } : { system: "kubernetes", action: "unchanged", target: target(obj), note: "absent" };
}
