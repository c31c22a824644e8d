import { warning } from '../model/index.js';
import type { GatheredFile, PhaseSpec, Plan, RawPaths, Role, Warning } from '../model/index.js';
import type { RunPaths } from '../store/index.js';
import type { RunningService } from './service.js';

/**
 * Gatherers: what is collected around one measured run, besides the driver's own output (Lighthouse's
 * base-gatherer lifecycle). For each run the loop calls, for every gatherer in list order:
 * `before(ctx)` → the driver starts and `during(ctx, signal)` runs beside it (`signal` aborts when the
 * driver has finished) → once every `during` has settled, `after(ctx)`. Each hook writes its raw files
 * under `ctx.paths.dir` and returns what it wrote (`Gathered`); the loop lists those in the run's
 * manifest entry. A hook that throws (or a `during` that does not settle within `settleMs` of the
 * driver's end) becomes a `gatherer-failed` warning on the run: never a failed run.
 *
 * Manifest entries: the /metrics scrapes keep their historical fields (`raw.metricsBefore`,
 * `raw.metricsDuring`, `raw.metricsAfter`, returned as `raw`), so old trial folders read the same; every
 * other gatherer returns `files`, listed as `raw.gathered: [{ gatherer, hook, path, meta? }]`.
 *
 * @example A gatherer that saves the service's /debug/vars once after the run:
 * ```ts
 * export const expvarGatherer: Gatherer = {
 *   name: 'expvar',
 *   after: async (ctx) => {
 *     const path = join(ctx.paths.dir, 'expvar.json');
 *     await writeFileAtomic(join(ctx.trialDir, path), await (await fetch(`${ctx.service.baseUrl}/debug/vars`)).text());
 *     return { files: [{ path }] };
 *   },
 * };
 * ```
 */
export interface Gatherer {
  /** Stable name, written in `raw.gathered[].gatherer` and in warnings. */
  readonly name: string;
  before?: (ctx: GatherContext) => Promise<Gathered | void>;
  /** Runs while the driver runs; must resolve soon after `signal` aborts (the driver has finished). */
  during?: (ctx: GatherContext, signal: AbortSignal) => Promise<Gathered | void>;
  after?: (ctx: GatherContext) => Promise<Gathered | void>;
  /** How long after the driver's end `during` may take to settle (default 10 s). */
  readonly settleMs?: number;
}

/** What every hook of one run sees. Paths in `paths` are relative to `trialDir`. */
export interface GatherContext {
  plan: Plan;
  runId: string;
  role: Role;
  /** The phase as run (a strategy's overrides applied). */
  phase: PhaseSpec;
  /** Planned seconds of load of the phase. */
  plannedSeconds: number;
  /** Absolute path of the trial folder. */
  trialDir: string;
  paths: RunPaths;
  /** The running service: base URL, metrics URL, and its process (`child.pid`) when hotswap started it. */
  service: RunningService;
  /** Aborts on Ctrl-C or SIGTERM. */
  trialSignal: AbortSignal;
  /** The trial's corpus, for a gatherer that sends load of its own (the profiling load). */
  corpusPath?: string;
  /** The CPU the load generator is pinned to, when pinning. */
  generatorCpu?: number;
}

/** The historical raw fields, written only by the /metrics gatherer. */
export type LegacyRaw = Pick<RawPaths, 'metricsBefore' | 'metricsAfter' | 'metricsDuring'>;

/** What one hook wrote. */
export interface Gathered {
  raw?: LegacyRaw;
  /** Files written (relative to the trial folder); the loop adds the gatherer's name and the hook. */
  files?: Omit<GatheredFile, 'gatherer' | 'hook'>[];
  /** Caveats on the run's figures that are not failures (e.g. no /metrics endpoint). */
  warnings?: Warning[];
}

/** What the gatherers of one run produced, merged in hook order. */
export interface GatherResult<T> {
  value: T;
  raw: LegacyRaw;
  gathered: GatheredFile[];
}

const DEFAULT_SETTLE_MS = 10_000;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const gathererFailed = (name: string, hook: GatheredFile['hook'], err: unknown): Warning =>
  warning('gatherer-failed', { gatherer: name, hook, error: messageOf(err) });

/** Resolves with the promise's value, or rejects when it takes longer than `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not finish within ${ms / 1000} s of the run's end`)),
      ms,
    );
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

/**
 * Runs `drive` with the gatherers around it (before → drive ∥ during → after). Gatherer failures go to
 * `warn` and never reject; when `drive` rejects, every `during` is stopped and settled, `after` is
 * skipped, and the error goes up.
 */
export const gatherAround = async <T>(
  gatherers: readonly Gatherer[],
  ctx: GatherContext,
  drive: () => Promise<T>,
  warn: (w: Warning) => void,
): Promise<GatherResult<T>> => {
  const raw: LegacyRaw = {};
  const gathered: GatheredFile[] = [];
  const take = (g: Gatherer, hook: GatheredFile['hook'], out: Gathered | void): void => {
    if (!out) return;
    Object.assign(raw, out.raw);
    for (const f of out.files ?? []) gathered.push({ gatherer: g.name, hook, ...f });
    for (const w of out.warnings ?? []) warn(w);
  };
  const hook = async (
    g: Gatherer,
    name: 'before' | 'after',
    fn: ((c: GatherContext) => Promise<Gathered | void>) | undefined,
  ): Promise<void> => {
    if (!fn) return;
    try {
      take(g, name, await fn(ctx));
    } catch (err) {
      warn(gathererFailed(g.name, name, err));
    }
  };

  for (const g of gatherers) await hook(g, 'before', g.before);
  const driverDone = new AbortController();
  const during = gatherers.map((g) => {
    if (!g.during) return undefined;
    try {
      return g.during(ctx, driverDone.signal);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
  // Attach handlers now so a `during` that fails early is not an unhandled rejection.
  const settled = during.map((p) =>
    p?.then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    ),
  );
  let value: T;
  try {
    value = await drive();
  } finally {
    driverDone.abort();
    for (const [i, g] of gatherers.entries()) {
      const s = settled[i];
      if (!s) continue;
      try {
        const r = await within(s, g.settleMs ?? DEFAULT_SETTLE_MS);
        if (r.ok) take(g, 'during', r.v);
        else warn(gathererFailed(g.name, 'during', r.e));
      } catch (err) {
        warn(gathererFailed(g.name, 'during', err));
      }
    }
  }
  for (const g of gatherers) await hook(g, 'after', g.after);
  return { value, raw, gathered };
};

/**
 * The run's raw paths: driver outputs and logs, then the /metrics fields in their historical order, the
 * other gatherers' files, and the driver's summary (the manifest's field order since schema version 1).
 */
export const rawPathsOf = (
  serviceLog: string,
  g: { raw: LegacyRaw; gathered: GatheredFile[] },
  driver: { outputs: string[]; logs: string[]; summary?: string },
): RawPaths => ({
  outputs: driver.outputs,
  logs: [serviceLog, ...driver.logs],
  ...(g.raw.metricsBefore !== undefined ? { metricsBefore: g.raw.metricsBefore } : {}),
  ...(g.raw.metricsAfter !== undefined ? { metricsAfter: g.raw.metricsAfter } : {}),
  ...(g.raw.metricsDuring !== undefined ? { metricsDuring: g.raw.metricsDuring } : {}),
  ...(g.gathered.length ? { gathered: g.gathered } : {}),
  ...(driver.summary ? { summary: driver.summary } : {}),
});
