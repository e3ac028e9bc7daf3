import type { ProvisioningConfig } from "./config";
import type { Deps } from "./deps";

/** Everything a step needs to know about the domain it reconciles, read from the panel DB. */
export type DomainSpec = {
  id: string;
  name: string;
  generation: number;
  suspended: boolean;
  options: DomainOptions;
  releasedRRSets: Array<{ name: string; type: string }>;
  customer: {
    id: string;
    number: number;
    plan: {
      cpuRequestM: number;
      cpuLimitM: number;
      memoryRequestMi: number;
      memoryLimitMi: number;
      maxPvcs: number;
      storageGi: number;
      appReplicas: number;
    };
  };
  mailboxes: Array<{ address: string; localPart: string; passwordHash: string; quotaMb: number; active: boolean }>;
  aliases: Array<{ source: string; destination: string }>;
};

export type DomainOptions = {
  image?: string;
  includeDatabase?: boolean;
  storageGi?: number;
};

export type StepContext = {
  domain: DomainSpec;
  deps: Deps;
  config: ProvisioningConfig;
  /** Values steps hand to later steps in the same run (e.g. the mail domain id). */
  state: { mailDomainId?: number; dkimPublicKey?: string };
};

export type StepResult = void | { message?: string; warning?: string };

/**
 * One idempotent piece of the flow: `ensure` observes the real system and
 * creates or updates only what differs; `remove` is its inverse, where the
 * step owns something of the domain's (customer-level steps have none).
 */
export type Step = {
  name: string;
  title: string;
  ensure(ctx: StepContext): Promise<StepResult>;
  remove?(ctx: StepContext): Promise<StepResult>;
};

/** A failure that retrying cannot fix (validation, something Berth does not own). */
export class PermanentError extends Error {
  readonly transient = false;
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

export const isTransient = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "transient" in e && (e as { transient: unknown }).transient === true;
