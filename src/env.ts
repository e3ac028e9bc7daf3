import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The only reader of process.env. Values from the local stack's `.stack/env`
 * and `.stack/app.env` (written by `npm run stack -- up` and `npm run up`) fill in what the real environment leaves
 * unset; an explicit environment variable always wins.
 */
function stackEnv(): Record<string, string> {
  const dir = process.env.BERTH_STACK_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), ".stack");
  const out: Record<string, string> = {};
  // env: the services' addresses and secrets; app.env: the app's own (AUTH_SECRET).
  for (const file of [path.join(dir, "env"), path.join(dir, "app.env")]) {
    if (!existsSync(/* turbopackIgnore: true */ file)) continue;
    for (const line of readFileSync(/* turbopackIgnore: true */ file, "utf8").split("\n")) {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
    }
  }
  return out;
}

const csv = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (def: number) => z.coerce.number().int().positive().default(def);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL for the panel DB; without it, embedded PGlite under PGLITE_DIR. */
  DATABASE_URL: z.url().optional(),
  PGLITE_DIR: z.string().default("./data/pglite"),
  /** Apply pending migrations when the server starts. */
  MIGRATE_ON_START: bool.default(true),

  /** Signs session cookies; required by the web app (not by migrate/seed scripts). */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  SESSION_MAX_AGE_SECONDS: int(60 * 60 * 12),
  /** How many proxies in front of the panel append to X-Forwarded-For. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** Set by the edge server (server.js) once it writes X-Forwarded-For from the socket; not for setting by hand. */
  BERTH_EDGE_SERVER: bool.default(false),
  // The sign-in throttle (src/server/auth/throttle.ts).
  /** Failures of one account from one address before each further one makes that pair wait. */
  LOGIN_FAILURES_BEFORE_DELAY: int(5),
  /** The first wait; it doubles with each further failure, up to LOGIN_MAX_DELAY_SECONDS. */
  LOGIN_DELAY_BASE_SECONDS: int(30),
  LOGIN_MAX_DELAY_SECONDS: int(15 * 60),
  /** Failures from one address (any accounts) before that address waits the same way. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(20),
  /** Failures of one account from all addresses before it is locked, except for addresses it recently signed in from. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(100),
  /** Failures older than this (since a key's last failure) are forgotten. */
  LOGIN_FAILURE_WINDOW_SECONDS: int(60 * 60),
  /** How long the account-wide lock lasts. */
  LOGIN_LOCKOUT_SECONDS: int(15 * 60),
  /** A successful sign-in from an address exempts the account from its account-wide lock there for this long. */
  LOGIN_TRUSTED_ADDRESS_DAYS: int(30),

  // Platform settings used when provisioning (seed PROVISIONING-FLOW).
  PLATFORM_NAME: z.string().default("Berth"),
  PANEL_DOMAIN: z.string().default("panel.berth.test"),
  PLATFORM_DOMAINS: csv.default(["berth.test", "platform.example.com"]),
  PLATFORM_NAMESERVERS: csv.default(["ns1.berth.test.", "ns2.berth.test."]),
  PLATFORM_MX_HOST: z.string().default("mail.berth.test."),
  PLATFORM_SPF_INCLUDE: z.string().default("_spf.berth.test"),
  PLATFORM_DMARC_RUA: z.string().default("mailto:dmarc@berth.test"),
  /** The platform's own zone (Berth publishes it: nameservers, panel, mail host, _spf, DMARC reports). */
  PLATFORM_ZONE: z.string().default("berth.test"),
  /** Addresses of PLATFORM_NAMESERVERS, in the same order (the last one repeats for the rest). */
  PLATFORM_NAMESERVER_IPV4: csv.default(["127.0.0.1"]),
  /** The mail host's address (its A record, and the _spf include's ip4). */
  PLATFORM_MAIL_IPV4: z.string().default("127.0.0.1"),
  INGRESS_IPV4: z.string().default("127.0.0.1"),
  INGRESS_IPV6: z.string().optional(),
  INGRESS_CLASS: z.string().default("traefik"),
  INGRESS_NAMESPACE: z.string().default("ingress-system"),
  TLS_CERT_RESOLVER: z.string().default("letsencrypt"),
  STORAGE_CLASS: z.string().default("longhorn"),
  MAIL_NAMESPACE: z.string().default("mail-system"),
  DEFAULT_WEB_IMAGE: z.string().default("nginxinc/nginx-unprivileged:alpine"),

  // The provisioning engine.
  /** Run reconcile workers inside the web server process. */
  WORKER_ENABLED: bool.default(true),
  WORKER_CONCURRENCY: int(8),
  /** Idle workers LISTEN for new work; this is only the fallback poll. */
  WORKER_POLL_MS: int(5000),
  WORKER_LEASE_SECONDS: int(30),
  RESYNC_INTERVAL_SECONDS: int(600),
  READINESS_TIMEOUT_SECONDS: int(120),
  STEP_MAX_ATTEMPTS: int(5),
  /** Runs kept per object (the newest); failed runs are kept RUN_FAILURE_RETENTION_DAYS whatever their rank. */
  RUN_RETENTION_COUNT: int(20),
  RUN_FAILURE_RETENTION_DAYS: int(30),
  /** Names this process in leases and runs (default: host:pid:random). */
  WORKER_ID: z.string().max(100).optional(),

  // Integrations (the local stack writes these to .stack/env).
  PDNS_API_URL: z.url().optional(),
  PDNS_API_KEY: z.string().optional(),
  PDNS_DNS_ADDRESS: z.string().optional(),
  MAIL_DB_URL: z.string().optional(),
  DOVECOT_CONF: z.string().optional(),
  POSTFIX_MAP_DIR: z.string().optional(),
  KUBECONFIG: z.string().optional(),
  /** Set by Kubernetes inside a pod: without KUBECONFIG, Berth then uses its service account. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  CUSTOMER_PG_URL: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const merged = { ...stackEnv(), ...process.env };
  // Empty strings mean "unset", as in most deployment tools.
  for (const k of Object.keys(merged)) if (merged[k] === "") delete merged[k];
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = load();
