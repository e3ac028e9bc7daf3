import { generateDkimKey, type DkimKey } from "./keys";

/**
 * A few DKIM keys generated ahead of time, so a new domain does not wait the
 * ~100–150 ms an RSA-2048 key takes. Keys live only in this process's memory
 * until a domain takes one; the pool refills in the background after each take.
 */
export function createDkimKeyPool(size = 4) {
  const ready: DkimKey[] = [];
  let filling = false;
  const fill = () => {
    if (filling || ready.length >= size) return;
    filling = true;
    void (async () => {
      try {
        while (ready.length < size) ready.push(await generateDkimKey());
      } catch {
        // Generation failing here is not fatal: take() generates on demand and reports its own error.
      } finally {
        filling = false;
      }
    })();
  };
  return {
    /** A fresh key: a pooled one if any is ready, else one generated now. */
    async take(): Promise<DkimKey> {
      const key = ready.shift();
      fill();
      return key ?? generateDkimKey();
    },
    warm: fill,
    get size() {
      return ready.length;
    },
  };
}

export type DkimKeyPool = ReturnType<typeof createDkimKeyPool>;
