import { DEFAULT_MIN_HOTSPOT_SHARE } from '../model/index.js';
import type { EndpointCpu, ProfileFunction, ProfileSummary } from '../model/index.js';

/**
 * The pre-port gate (`hotswap profile`): is there one hotspot worth a trial? "If you cannot point to one
 * hotspot with real numbers, do not switch languages yet." The baseline's hotspot share (cumulative share
 * of the plan's hotspot functions in its CPU profile) is judged against `minHotspotShare` on its whole
 * binomial 95 % CI, as a pass line is: worth a trial when the CI's lower end clears the threshold, not
 * worth it when its upper end is below, uncertain when the CI straddles it or the profile has too few
 * samples. Amdahl's ceiling: with the hotspot free, CPU per request falls by at most its share. Pure.
 */
export type GateDecision = 'worth-a-trial' | 'not-worth-a-trial' | 'uncertain';

export interface ProfileGate {
  decision: GateDecision;
  reason: string;
  threshold: number;
  runId: string;
  samples: number;
  minSamples: number;
  rateRps?: number;
  hotspotShare?: number;
  hotspotCI95?: [number, number];
  /** The most CPU per request could fall with the hotspot free (a change, e.g. −0.42), and its CI. */
  ceiling?: { change: number; range: [number, number] };
  topFunctions: ProfileFunction[];
  byEndpoint: EndpointCpu[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export const judgeProfileGate = (
  profile: ProfileSummary,
  minHotspotShare: number = DEFAULT_MIN_HOTSPOT_SHARE,
): ProfileGate => {
  const base = {
    threshold: minHotspotShare,
    runId: profile.runId,
    samples: profile.samples,
    minSamples: profile.minSamples,
    ...(profile.rateRps !== undefined ? { rateRps: profile.rateRps } : {}),
    topFunctions: profile.topFunctions.slice(0, 10),
    byEndpoint: profile.byEndpoint,
  };
  if (profile.tooFewSamples || profile.hotspotShare === undefined || !profile.hotspotCI95)
    return {
      ...base,
      decision: 'uncertain',
      reason: `${profile.samples} CPU samples, fewer than the ${profile.minSamples} asked for: the hotspot share is too uncertain`,
    };
  const share = profile.hotspotShare;
  const ci = profile.hotspotCI95;
  const figures = {
    hotspotShare: share,
    hotspotCI95: ci,
    ceiling: { change: -share, range: [-ci[1], -ci[0]] as [number, number] },
  };
  const said = `the hotspot is ${pct(share)} of the CPU (95 % CI ${pct(ci[0])}–${pct(ci[1])}, ${profile.samples} samples)`;
  if (ci[0] >= minHotspotShare)
    return {
      ...base,
      ...figures,
      decision: 'worth-a-trial',
      reason: `${said}, at least ${pct(minHotspotShare)}`,
    };
  if (ci[1] < minHotspotShare)
    return {
      ...base,
      ...figures,
      decision: 'not-worth-a-trial',
      reason: `${said}, below ${pct(minHotspotShare)}`,
    };
  return {
    ...base,
    ...figures,
    decision: 'uncertain',
    reason: `${said}: the CI straddles ${pct(minHotspotShare)}`,
  };
};
