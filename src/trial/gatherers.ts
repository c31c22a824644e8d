import type { Plan } from '../model/index.js';
import type { Gatherer } from './gatherer.js';
import { osTrialGatherer } from './os-gatherer.js';
import { metricsGatherer } from './scrape.js';
import { profileGatherer } from './profile.js';
import { drainGatherer, needsDrain } from './capacity-search-drain.js';

/** One registered gatherer and whether a plan wants it (default: every plan). */
export interface GathererEntry {
  gatherer: Gatherer;
  when?: (plan: Plan) => boolean;
}

/**
 * Every gatherer hotswap knows, in the order they run around a run. Adding one is its own file plus one
 * line here, e.g. `{ gatherer: profileGatherer, when: (plan) => plan.profile !== undefined }`.
 */
export const GATHERERS: readonly GathererEntry[] = [
  // First, so a capacity-search probe's "before" scrape is taken once the service has drained.
  { gatherer: drainGatherer(), when: needsDrain },
  { gatherer: metricsGatherer },
  { gatherer: osTrialGatherer },
  { gatherer: profileGatherer, when: (plan) => plan.profile !== undefined },
];

/** The gatherers a plan runs around each of its runs (runTrial's default). */
export const gatherersFor = (plan: Plan): Gatherer[] =>
  GATHERERS.filter((e) => e.when?.(plan) ?? true).map((e) => e.gatherer);
