/**
 * A provisioning worker as its own process (tests, benchmarks, or a separate
 * Deployment in production): `tsx --conditions=react-server scripts/worker.ts`.
 * Stops cleanly on SIGTERM/SIGINT, finishing the runs in flight.
 */
import { env } from "@/env";
import { provisioningConfig } from "@/server/provisioning/config";
import { provisioningDeps } from "@/server/provisioning/deps";
import { newWorkerId, startWorker } from "@/server/provisioning/worker";

const workerId = env.WORKER_ID ?? newWorkerId();
const worker = startWorker({
  workerId,
  config: provisioningConfig(),
  deps: provisioningDeps(),
  concurrency: env.WORKER_CONCURRENCY,
  pollMs: env.WORKER_POLL_MS,
  databaseUrl: env.DATABASE_URL,
});
console.log(`worker ${workerId} started`);
const stop = async () => {
  await worker.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
