import "server-only";
import { kindsInOrder } from "../kinds/registry";
import { reconcile, type EngineOptions, type ReconcileResult } from "./reconcile";
import { claimNext, type Claim } from "./tables";
import type { Kind } from "../step";

/** The next due object of any kind, parents' kinds first (one statement); null when nothing is due. */
export async function claimAny(workerId: string, leaseMs: number): Promise<{ kind: Kind<unknown>; claim: Claim } | null> {
  const kinds = kindsInOrder();
  const claim = await claimNext(kinds.map((k) => k.table), workerId, leaseMs);
  if (!claim) return null;
  const kind = kinds.find((k) => k.table === claim.table);
  if (!kind) throw new Error(`no kind reconciles table ${claim.table}`);
  return { kind, claim };
}

export async function reconcileClaim(c: { kind: Kind<unknown>; claim: Claim }, opts: EngineOptions): Promise<ReconcileResult> {
  return reconcile(c.kind, c.claim, opts);
}

/** Claims and reconciles until nothing is due; returns how many objects it worked. For tests and benchmarks. */
export async function drain(opts: EngineOptions & { concurrency?: number; deadlineMs?: number }): Promise<number> {
  const deadline = Date.now() + (opts.deadlineMs ?? 300_000);
  let worked = 0;
  const lane = async () => {
    while (Date.now() < deadline) {
      const next = await claimAny(opts.workerId, opts.config.leaseMs);
      if (!next) return;
      await reconcileClaim(next, opts);
      worked++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 1 }, lane));
  return worked;
}
