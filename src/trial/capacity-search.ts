import {
  SEARCH_PROFILE_EXTRA_SECONDS,
  probeMinRequests,
  probeSecondsAt,
  searchProfilePhase,
  type K6PhaseSpec,
  type PhaseOverrides,
  type PhaseSpec,
  type Plan,
  type ProbeNote,
  type Role,
} from '../model/index.js';
import {
  blockOf,
  type Block,
  type BlockExtension,
  type ScheduleStrategy,
  type ScheduleView,
} from './schedule.js';

/**
 * The capacity search as a schedule strategy: it wraps another strategy (the fixed interleaved one, or a
 * look schedule) and, in every block that reaches the plan's `capacity-search` phase, replaces that phase
 * by probes chosen one at a time on the block's running service (no restart between probes; the drain
 * gatherer waits for the service to go idle before each). The first probe runs at `fromRps`; after each
 * probe the strategy asks the analysis of the trial folder (`view.analyse()`) for the block's search,
 * whose `next` is the probe to run (analysis/capacity/search.ts decides it, the same code that writes
 * report.json, so the trial and the report cannot disagree), records the judgement of the probe that
 * just ran in the manifest (`probe: { pass, purpose, … }`), and when the search has stopped, runs the
 * block's remaining phases, preceded by the search's profile run when the plan profiles the search
 * (`searchProfileRun`). Pure apart from the analysis it is handed.
 */

export const isSearchPhase = (p: PhaseSpec): p is K6PhaseSpec =>
  p.driver === 'k6' && p.scenario === 'capacity-search';

export const hasCapacitySearch = (plan: Pick<Plan, 'phases'>): boolean => plan.phases.some(isSearchPhase);

/** The first probe: fromRps (whole requests per second), long enough for its requests. */
export const firstProbe = (phase: K6PhaseSpec, plan: Pick<Plan, 'slo'>): PhaseOverrides => {
  const rateRps = Math.max(1, Math.round(phase.fromRps ?? 1));
  const minRequests = phase.minRequests ?? probeMinRequests(plan.slo.quantile);
  return { rateRps, durationSeconds: probeSecondsAt(phase, rateRps, minRequests) };
};

type PhaseRun = { phase: PhaseSpec; overrides?: PhaseOverrides };

/**
 * The profile run after a stopped search, when the plan's `profile.phase` names the search: a constant
 * rate on the same service at `profile.rateRps` when given, else at the search's passRps (the highest
 * passing probe), lasting the profile's seconds + 3; its own phase name (`<search>.profile`) keeps it out
 * of the search's probes and of every comparison, and its rate override keeps response digests off.
 * None without a rate (no probe passed): the analysis warns.
 */
export const searchProfileRun = (
  plan: Pick<Plan, 'profile'>,
  phase: K6PhaseSpec,
  role: Role,
  passRps: number | undefined,
): PhaseRun | undefined => {
  const spec = plan.profile;
  if (!spec || spec.phase !== phase.name) return undefined;
  const r = spec.rateRps;
  const rateRps = (typeof r === 'number' ? r : r?.[role]) ?? passRps;
  if (rateRps === undefined) return undefined;
  const durationSeconds = spec.seconds + SEARCH_PROFILE_EXTRA_SECONDS;
  return {
    phase: {
      name: searchProfilePhase(phase.name),
      driver: 'k6',
      scenario: 'steady',
      rateRps,
      durationSeconds,
      ...(phase.arrivals ? { arrivals: phase.arrivals } : {}),
      ...(phase.maxVus !== undefined ? { maxVus: phase.maxVus } : {}),
      ...(phase.preAllocatedVus !== undefined ? { preAllocatedVus: phase.preAllocatedVus } : {}),
    },
    overrides: { rateRps, durationSeconds },
  };
};

/** What a block still has to run after its search, keyed by the block. */
interface Pending {
  phase: K6PhaseSpec;
  rest: PhaseRun[];
}

export const capacitySearchStrategy = (plan: Plan, base: ScheduleStrategy): ScheduleStrategy => {
  const pending = new WeakMap<Block, Pending>();
  const planPhase = (name: string): PhaseSpec => plan.phases.find((p) => p.name === name)!;
  return {
    name: `capacity-search+${base.name}`,
    // The base's blocks are renumbered here as they run: the probes' count is not known in advance.
    upcoming: () => [],
    next: async (view: ScheduleView) => {
      const b = await base.next(view);
      if (b === 'done') return 'done';
      const phases: PhaseRun[] = b.runs.map((r) => ({
        phase: planPhase(r.phase.name),
        ...(r.overrides ? { overrides: r.overrides } : {}),
      }));
      const at = phases.findIndex((r) => isSearchPhase(r.phase));
      if (at === -1) return blockOf(b.role, b.repetition, phases, view.nextOrder);
      const phase = phases[at]!.phase as K6PhaseSpec;
      const block = blockOf(
        b.role,
        b.repetition,
        [...phases.slice(0, at), { phase, overrides: firstProbe(phase, plan) }],
        view.nextOrder,
      );
      pending.set(block, { phase, rest: phases.slice(at + 1) });
      return block;
    },
    extend: async (view: ScheduleView, block: Block): Promise<BlockExtension> => {
      const p = pending.get(block);
      if (!p) return { runs: [] };
      const last = block.runs.at(-1)!;
      const rec = view.manifest.runs.find((r) => r.id === last.id);
      const done = (passRps?: number): BlockExtension => {
        pending.delete(block);
        const profile = searchProfileRun(plan, p.phase, block.role, passRps);
        return { runs: profile ? [profile, ...p.rest] : p.rest };
      };
      // A probe that did not finish ok ends the search (the analysis calls it unfinished).
      if (rec?.status !== 'ok') return done();
      const model = await view.analyse();
      const search = model.capacity[block.role].searches?.find((s) => s.repetition === block.repetition);
      const judged = search?.probes.find((x) => x.runId === last.id);
      const notes = judged
        ? [
            {
              runId: last.id,
              probe: {
                pass: judged.pass,
                purpose: judged.purpose,
                ...(Number.isFinite(judged.quantileMs) ? { quantileMs: judged.quantileMs } : {}),
                ...(judged.failedOn ? { failedOn: judged.failedOn } : {}),
              } satisfies ProbeNote,
            },
          ]
        : [];
      if (!search?.next) return { ...done(search?.passRps), notes };
      const { rateRps, durationSeconds } = search.next;
      return { runs: [{ phase: p.phase, overrides: { rateRps, durationSeconds } }], notes };
    },
  };
};
