/**
 * Micro-benchmarks behind the provisioning figures (scripts/bench/README.md):
 *
 *   node_modules/.bin/tsx --conditions=react-server scripts/bench/probes.ts [--n 200]
 *
 * 1. Kubernetes API calls through Berth's adapter as it is, and with the
 *    client's HTTP dispatcher reused (the fix suggested for
 *    src/server/integrations/kubernetes/client.ts): wall time, this process's
 *    CPU and kube-apiserver's CPU per call, and the TCP connections left open.
 * 2. DKIM key generation: generateDkimKey() (node-forge) against Node's own
 *    crypto.generateKeyPair, one at a time and 8 at once.
 * 3. bcryptjs cost 10 (what addDomain pays per mailbox, on the event loop).
 *
 * Read-only: it reads the mail-system Namespace and nothing else in the cluster.
 */
import { generateKeyPair } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import type { KubeConfig } from "@kubernetes/client-node";
import { env } from "@/env";
import { createKubeClient, loadKubeConfig } from "@/server/integrations/kubernetes/client";
import { generateDkimKey } from "@/server/integrations/dkim/keys";

const nArg = process.argv.indexOf("--n");
const N = nArg > 0 ? Number(process.argv[nArg + 1]) || 200 : 200;
const CLK_TCK = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const f = (x: number, unit = "ms") => `${x.toFixed(x < 10 ? 2 : 0)} ${unit}`;

function pidsOf(comm: string): string[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === comm;
      } catch {
        return false;
      }
    });
}
function cpuSeconds(pids: string[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      t += (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    } catch {
      // gone
    }
  }
  return t;
}
/** ESTABLISHED TCP connections to this port (client side), from /proc/net/tcp{,6}. */
function openConnections(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    try {
      for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols[2]?.endsWith(`:${hexPort}`) && cols[3] === "01") n++;
      }
    } catch {
      // no such table
    }
  }
  return n;
}

/** The same KubeConfig, but one HTTP dispatcher (connection pool) reused by every request. */
function withSharedDispatcher(kc: KubeConfig): KubeConfig {
  const k = kc as unknown as { createDispatcher: (...a: unknown[]) => unknown };
  const original = k.createDispatcher.bind(kc);
  const cache = new Map<string, unknown>();
  k.createDispatcher = (cluster: unknown, opts: unknown) => {
    const key = JSON.stringify([(cluster as { name?: string } | null)?.name ?? "", kc.getCurrentUser()?.name ?? ""]);
    if (!cache.has(key)) cache.set(key, original(cluster, opts));
    return cache.get(key);
  };
  return kc;
}

async function kubeProbe(label: string, kc: KubeConfig, parallel: number) {
  const kube = createKubeClient(kc);
  const ref = { apiVersion: "v1", kind: "Namespace", metadata: { name: env.MAIL_NAMESPACE } };
  const port = Number(new URL(kc.getCurrentCluster()?.server ?? "https://127.0.0.1:6443").port || 443);
  const apiserver = pidsOf("kube-apiserver");
  await kube.observe(ref); // warm
  const conns0 = openConnections(port);
  const cpu0 = process.cpuUsage();
  const api0 = cpuSeconds(apiserver);
  const lat: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < N) {
        next++;
        const p = performance.now();
        await kube.observe(ref);
        lat.push(performance.now() - p);
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const api = cpuSeconds(apiserver) - api0;
  const conns = openConnections(port) - conns0;
  console.log(
    `  ${label.padEnd(34)} ${String(parallel).padStart(2)} at once: ${f(wall / N)} wall/call, median ${f(median(lat))}; CPU/call: bench ${f((cpu.user + cpu.system) / 1000 / N)}, kube-apiserver ${f((1000 * api) / N)}; +${conns} TCP connections left open`,
  );
}

async function timeIt(n: number, parallel: number, fn: () => Promise<unknown>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++;
        await fn();
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / n, cpu: (cpu.user + cpu.system) / 1000 / n };
}

console.log(`probes — ${os.cpus().length} cores, node ${process.version}, ${N} calls each`);
console.log("\n1. Kubernetes API GET through Berth's adapter");
await kubeProbe("stock client (new dispatcher/call)", loadKubeConfig(env.KUBECONFIG), 1);
await kubeProbe("shared dispatcher", withSharedDispatcher(loadKubeConfig(env.KUBECONFIG)), 1);
await kubeProbe("stock client (new dispatcher/call)", loadKubeConfig(env.KUBECONFIG), 16);
await kubeProbe("shared dispatcher", withSharedDispatcher(loadKubeConfig(env.KUBECONFIG)), 16);

console.log("\n2. DKIM RSA-2048 key generation (per key)");
const genNative = promisify(generateKeyPair);
const native = () =>
  genNative("rsa", { modulusLength: 2048, publicExponent: 0x10001, publicKeyEncoding: { type: "spki", format: "der" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
for (const parallel of [1, 8]) {
  const a = await timeIt(20, parallel, generateDkimKey);
  const b = await timeIt(20, parallel, native);
  console.log(`  ${parallel} at once: generateDkimKey ${f(a.wall)} wall, ${f(a.cpu)} process CPU · crypto.generateKeyPair ${f(b.wall)} wall, ${f(b.cpu)} process CPU`);
}

console.log("\n3. bcryptjs cost 10 (addDomain, per mailbox)");
const bc = await timeIt(10, 1, () => bcrypt.hash("Bench-Harbor-123", 10));
console.log(`  ${f(bc.wall)} wall, ${f(bc.cpu)} CPU on the event loop`);
process.exit(0);
