/**
 * A tiny typed client over Toxiproxy's HTTP API (v2.12, started by scripts/stack/toxiproxy.sh),
 * for tests that cut or slow a shared service mid-run without stopping it.
 *
 *   const toxi = createToxiproxy(stack.TOXIPROXY_URL);
 *   await toxi.disable("pdns-api");            // open connections closed, new ones refused
 *   await toxi.addToxic("mariadb", { name: "slow", type: "latency", attributes: { latency: 500 } });
 *   await toxi.withProxyDown("kube-apiserver", 2_000, () => provision(site)); // outage mid-run
 *   await toxi.reset();                        // all enabled, all toxics gone (use in afterEach)
 *
 * The base URL is an argument (tests read it from .stack/env): nothing here reads process.env.
 */

/** The proxies scripts/stack/toxiproxy.sh creates; any other name Toxiproxy knows works too. */
export type ProxyName = "pdns-api" | "mariadb" | "kube-apiserver" | (string & {});

/** "downstream" (default) acts on data from the upstream server to the client; "upstream" on client → server. */
export type ToxicStream = "upstream" | "downstream";

interface ToxicBase<T extends string, A> {
  name: string;
  type: T;
  attributes: A;
  stream?: ToxicStream;
  /** Probability (0–1) that a connection gets the toxic; default 1. */
  toxicity?: number;
}

export type ToxicSpec =
  /** Delay each chunk of data by latency ± jitter ms. */
  | ToxicBase<"latency", { latency: number; jitter?: number }>
  /** Stop all data; close the connection after timeout ms (0: never, until the toxic is removed). */
  | ToxicBase<"timeout", { timeout: number }>
  /** Reset the connection (TCP RST) after timeout ms (0: at once). */
  | ToxicBase<"reset_peer", { timeout?: number }>
  /** Limit throughput to rate KB/s. */
  | ToxicBase<"bandwidth", { rate: number }>;

export type ToxicType = ToxicSpec["type"];

export interface Toxic {
  name: string;
  type: string;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

/** A non-2xx answer of the Toxiproxy API (404 unknown proxy/toxic, 409 toxic name taken, 400 bad input). */
export class ToxiproxyError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(`Toxiproxy ${method} ${path}: ${status} ${message}`);
    this.name = "ToxiproxyError";
  }
}

export interface ToxiproxyClient {
  /** Disable the proxy: its open connections are closed and new ones refused until enable(). */
  disable(proxy: ProxyName): Promise<ProxyState>;
  enable(proxy: ProxyName): Promise<ProxyState>;
  addToxic(proxy: ProxyName, toxic: ToxicSpec): Promise<Toxic>;
  removeToxic(proxy: ProxyName, name: string): Promise<void>;
  /** POST /reset: every proxy enabled, every toxic removed. */
  reset(): Promise<void>;
  get(proxy: ProxyName): Promise<ProxyState>;
  list(): Promise<Record<string, ProxyState>>;
  /** Creates a proxy of a test's own (listen "127.0.0.1:0" picks a free port); returns it with its real listen address. */
  create(name: string, listen: string, upstream: string): Promise<ProxyState>;
  remove(proxy: ProxyName): Promise<void>;
  /**
   * Take the proxy down for `ms`. With `fn`, it starts while the proxy is down and keeps running
   * when the proxy comes back (an outage in the middle of `fn`); its result is returned (or its
   * error rethrown) after the proxy is enabled again. The proxy is re-enabled after `ms` whatever
   * `fn` does.
   */
  withProxyDown<T = void>(proxy: ProxyName, ms: number, fn?: () => Promise<T> | T): Promise<T | undefined>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createToxiproxy(baseUrl: string): ToxiproxyClient {
  if (!baseUrl) throw new Error("createToxiproxy: no base URL (TOXIPROXY_URL; run scripts/stack/toxiproxy.sh up)");
  const base = baseUrl.replace(/\/+$/, "");

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new ToxiproxyError(res.status, method, path, message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const proxyPath = (proxy: string) => `/proxies/${encodeURIComponent(proxy)}`;
  const setEnabled = (proxy: string, enabled: boolean) => call<ProxyState>("PATCH", proxyPath(proxy), { enabled });

  const client: ToxiproxyClient = {
    disable: (proxy) => setEnabled(proxy, false),
    enable: (proxy) => setEnabled(proxy, true),
    addToxic: (proxy, toxic) =>
      call<Toxic>("POST", `${proxyPath(proxy)}/toxics`, { stream: "downstream", toxicity: 1, ...toxic }),
    removeToxic: async (proxy, name) => {
      await call<void>("DELETE", `${proxyPath(proxy)}/toxics/${encodeURIComponent(name)}`);
    },
    reset: async () => {
      await call<void>("POST", "/reset");
    },
    get: (proxy) => call<ProxyState>("GET", proxyPath(proxy)),
    list: () => call<Record<string, ProxyState>>("GET", "/proxies"),
    create: (name, listen, upstream) => call<ProxyState>("POST", "/proxies", { name, listen, upstream, enabled: true }),
    remove: async (proxy) => {
      await call<void>("DELETE", proxyPath(proxy));
    },
    async withProxyDown<T>(proxy: ProxyName, ms: number, fn?: () => Promise<T> | T) {
      await client.disable(proxy);
      let run: Promise<T | undefined> | undefined;
      try {
        // Started now, settled later: a rejection must not go unhandled while we sleep.
        run = Promise.resolve().then(() => fn?.());
        run.catch(() => {});
        await sleep(ms);
      } finally {
        await client.enable(proxy);
      }
      return run;
    },
  };
  return client;
}
