import { describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { publicKeyFromPrivatePem } from "@/server/integrations/dkim/keys";
import { bcryptHash, rsaKeyPair } from "./pool";

/** Counts turns of this thread's event loop while `work` runs: a loop held by CPU work turns a handful of times at most. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  void work.finally(() => (done = true));
  while (!done) {
    await new Promise<void>((r) => setImmediate(r));
    turns++;
  }
  return turns;
}

describe("CPU-heavy work in worker threads", () => {
  it("bcrypt hashes that Dovecot's BLF-CRYPT accepts, while the event loop keeps turning", async () => {
    const work = Promise.all(Array.from({ length: 6 }, (_, i) => bcryptHash(`password-${i}-long-enough`, 10)));
    const turns = await turnsDuring(work);
    const hashes = await work;
    expect(hashes.every((h) => /^\$2[by]\$10\$/.test(h))).toBe(true);
    expect(await bcrypt.compare("password-3-long-enough", hashes[3] ?? "")).toBe(true);
    // Six cost-10 hashes on this thread would hold it for ~0.4 s in one piece; in threads it turns on.
    expect(turns).toBeGreaterThan(50);
  });

  it("RSA-2048 key pairs from node-forge: PKCS#1 PEM and the matching SPKI", async () => {
    const key = await rsaKeyPair(2048);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(key.privateKeyPem).not.toContain("\r");
    expect(publicKeyFromPrivatePem(key.privateKeyPem)).toBe(key.publicKeyBase64);
  });

  it("refuses a cost that would hold a thread for good; an error in the thread reaches the caller", async () => {
    await expect(bcryptHash("x", 99)).rejects.toThrow(/cost 99 is outside/);
    await expect(bcryptHash(undefined as unknown as string, 10)).rejects.toThrow(/Illegal arguments/);
    // The thread is still there for the next caller.
    expect(await bcryptHash("still-working-pw", 4)).toMatch(/^\$2[by]\$04\$/);
  });
});
