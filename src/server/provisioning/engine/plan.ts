import "server-only";
import { stepsFor, type StepInfo } from "@/lib/provisioning/catalog";
import type { Change, Kind } from "../step";
import type { EngineOptions } from "./reconcile";

export type PlannedStep = StepInfo & { kind: Kind<unknown>["name"]; changes: Change[] };

/**
 * What applying this spec would change, step by step, asked of the steps
 * themselves (each step's plan() observes the real system; nothing is
 * written). The preview shows it; a test compares it with what ensure did.
 */
export async function planKind<S>(kind: Kind<S>, spec: S, opts: Omit<EngineOptions, "workerId">): Promise<PlannedStep[]> {
  const out: PlannedStep[] = [];
  for (const info of stepsFor(kind.name, "APPLY", () => false)) {
    const step = kind.steps.find((s) => s.name === info.name);
    const changes = step?.plan ? await step.plan({ spec, deps: opts.deps, config: opts.config }) : [];
    out.push({ ...info, kind: kind.name, changes });
  }
  return out;
}
