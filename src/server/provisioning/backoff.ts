/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, opts: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = opts.baseMs ?? 200;
  const cap = opts.capMs ?? 5_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  // Never zero: at least a tenth of the ceiling, so retries do not spin.
  return Math.round(ceiling * (0.1 + 0.9 * (opts.random ?? Math.random)()));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
