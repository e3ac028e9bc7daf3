import type { KindName } from "@/lib/provisioning/catalog";
import type { ProvisioningConfig } from "./config";
import type { Deps } from "./deps";

/**
 * One change to a real system, as a step's plan() predicts it and its
 * ensure() reports it: the preview shows the first, the run log records the
 * second, and a test compares them.
 */
export type Change = {
  system: "kubernetes" | "dns" | "mail";
  action: "create" | "update" | "delete" | "unchanged";
  /** e.g. "Deployment cust-7/web-example-com-1a2b3c4d", "A example.com.", "virtual_users info@example.com" */
  target: string;
  /** For an update: the fields that differ (e.g. "spec.replicas"). */
  fields?: string[];
  note?: string;
};

export const changed = (changes: readonly Change[]) => changes.some((c) => c.action !== "unchanged");

export type StepResult = { changes?: Change[]; message?: string; warning?: string };

export type StepContext<S> = { spec: S; deps: Deps; config: ProvisioningConfig };

/**
 * One idempotent piece of a kind's flow. `ensure` observes the real system
 * and changes only what differs, reporting what it changed; `plan` says what
 * ensure would change without changing anything; `remove` is the inverse,
 * where the step owns something. Steps stand alone: each observes what it
 * needs, so any step can be retried or run by itself.
 */
export type Step<S> = {
  name: string;
  ensure?(ctx: StepContext<S>): Promise<StepResult | void>;
  plan?(ctx: StepContext<S>): Promise<Change[]>;
  remove?(ctx: StepContext<S>): Promise<StepResult | void>;
};

/** What a kind tells the engine about one object, read from the panel DB. */
export type Loaded<S> = {
  spec: S;
  /** For the run log: what the run is about (a domain name, an address), kept after the object is gone. */
  subject: string;
  customerId: string | null;
  domainId: string | null;
  deletionRequested: boolean;
  suspended: boolean;
  /** Why it cannot be applied yet (its parent is not in place), read with the spec; null when it can. */
  waitReason?: string | null;
};

/** The reconciled tables; identifiers are never built from input. */
export type ReconciledTable = "Platform" | "Customer" | "Domain" | "Mailbox" | "Alias";

/** Another row to look at now (a child whose parent became ready, a parent waiting for children). */
export type Wake = { table: ReconciledTable; ids?: string[]; where?: { column: "customerId" | "domainId"; equals: string } };

export type Kind<S> = {
  name: KindName;
  table: ReconciledTable;
  load(id: string): Promise<Loaded<S> | null>;
  /** Why the object cannot be removed yet (its children are not gone), or null. */
  waitForDeletion?(loaded: Loaded<S>): Promise<string | null>;
  steps: Array<Step<S>>;
  /** Rows to wake after a successful run (children once a parent is in place; a parent once a child is gone). */
  wakes?(loaded: Loaded<S>, deleted: boolean): Wake[];
  /** After a successful delete run: drop the row (default) — a kind may do more. */
  afterDelete?(loaded: Loaded<S>): Promise<void>;
};

/** A failure that retrying cannot fix (validation, something Berth does not own). */
export class PermanentError extends Error {
  readonly transient = false;
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

/** A failure worth retrying (a dependency not there yet, a timeout). */
export class TransientError extends Error {
  readonly transient = true;
  constructor(message: string) {
    super(message);
    this.name = "TransientError";
  }
}

export const isTransient = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "transient" in e && (e as { transient: unknown }).transient === true;
