import "server-only";
import { renewLease, type Claim } from "./tables";
import { LeaseLost } from "./step-runner";

/**
 * Keeps a claim's lease alive for as long as the run lasts (a step such as
 * readiness can wait longer than one lease), renewing every third of it.
 * `check()` throws LeaseLost once a renewal failed: someone else owns the row.
 */
export function holdLease(claim: Claim, leaseMs: number) {
  let lost = false;
  const timer = setInterval(() => {
    renewLease(claim, leaseMs).then(
      (ok) => {
        if (!ok) lost = true;
      },
      () => {
        // The panel DB is briefly unreachable: the next tick tries again; the lease has slack.
      },
    );
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    check() {
      if (lost) throw new LeaseLost(`${claim.table} ${claim.id}`);
    },
    release() {
      clearInterval(timer);
    },
  };
}
