import "server-only";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * CPU-heavy work off the event loop: bcrypt (deliberately slow) and RSA key
 * generation run in a small pool of worker threads, so a burst of requests
 * never freezes the server. The worker's code is plain CommonJS evaluated in
 * the thread (nothing for a bundler to move); it loads bcryptjs and
 * node-forge from the app's node_modules (traced into the standalone output).
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const load = require("node:module").createRequire(workerData.base);
let bcrypt, forge;
const reply = (id, result, error) => parentPort.postMessage({ id, result, error });
parentPort.on("message", (m) => {
  try {
    if (m.op === "bcrypt") {
      bcrypt = bcrypt || load("bcryptjs");
      reply(m.id, bcrypt.hashSync(m.password, m.cost));
    } else if (m.op === "rsa") {
      forge = forge || load("node-forge");
      // A callback selects Node's native generator (forge's pure-JS one takes seconds).
      forge.pki.rsa.generateKeyPair({ bits: m.bits, e: 0x10001, workers: -1 }, (err, pair) => {
        if (err) return reply(m.id, undefined, err.message);
        try {
          const privateKeyPem = forge.pki.privateKeyToPem(pair.privateKey).replace(/\r\n/g, "\n");
          const spki = forge.util.encode64(forge.asn1.toDer(forge.pki.publicKeyToAsn1(pair.publicKey)).getBytes());
          reply(m.id, { privateKeyPem, publicKeyBase64: spki });
        } catch (e) {
          reply(m.id, undefined, e && e.message ? e.message : String(e));
        }
      });
    } else {
      reply(m.id, undefined, "unknown operation " + m.op);
    }
  } catch (e) {
    reply(m.id, undefined, e && e.message ? e.message : String(e));
  }
});
`;

type Pending = { resolve(v: unknown): void; reject(e: Error): void };
type Slot = { worker: Worker; busy: number };

const SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
let slots: Slot[] | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function spawn(): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { base: path.join(/* turbopackIgnore: true */ process.cwd(), "package.json") } });
  const slot: Slot = { worker, busy: 0 };
  worker.unref();
  worker.on("message", (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    slot.busy--;
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  worker.on("error", (e) => {
    // A crashed thread: fail what it held, replace it on next use.
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(e);
    }
    if (slots) slots = slots.filter((s) => s !== slot);
  });
  return slot;
}

function run<T>(message: Record<string, unknown>): Promise<T> {
  slots ??= [];
  while (slots.length < SIZE) slots.push(spawn());
  const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextId++;
  slot.busy++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    slot.worker.postMessage({ ...message, id });
  });
}

/** A Dovecot-compatible bcrypt hash ($2b$), computed in a worker thread. */
export async function bcryptHash(password: string, cost: number): Promise<string> {
  // bcryptjs clamps a silly cost instead of refusing it: 2^31 rounds would hold a thread for good.
  if (!Number.isInteger(cost) || cost < 4 || cost > 15) throw new RangeError(`bcrypt cost ${cost} is outside 4–15`);
  return run<string>({ op: "bcrypt", password, cost });
}

/** An RSA key pair from node-forge (native generator), in a worker thread: PKCS#1 PEM and the SPKI base64. */
export const rsaKeyPair = (bits: number) => run<{ privateKeyPem: string; publicKeyBase64: string }>({ op: "rsa", bits });
