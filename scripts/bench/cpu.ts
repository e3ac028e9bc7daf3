/** CPU accounting: which processes on this machine spent the CPU, in core-seconds (Linux /proc). */
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100;
export function cpuByProcess(selfName = "bench (node: worker + addDomain)"): Map<string, number> {
  const out = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      const ticks = Number(f[11]) + Number(f[12]); // utime + stime
      const name = pid === String(process.pid) ? selfName : comm;
      out.set(`${name}\u0000${pid}`, ticks / CLK_TCK);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
export function cpuDelta(before: Map<string, number>, after: Map<string, number>) {
  const by = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d <= 0) continue;
    const name = k.split("\u0000")[0] ?? k;
    by.set(name, (by.get(name) ?? 0) + d);
  }
  return [...by.entries()].sort((a, b) => b[1] - a[1]);
}
