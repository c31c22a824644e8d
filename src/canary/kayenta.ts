import type { ReportModel } from '../model/index.js';

/**
 * Kayenta's Canary Data Archival Format (Spinnaker's canary judge; "JSON Formats" in the Spinnaker
 * docs): `{ results: [{ name, tags, values: { control: [...], experiment: [...] } }] }`, "used to store
 * the results from a specific canary run … so it could be copied and used again to re-run with
 * different thresholds". Here one result per compared figure, its values one per window judged
 * (control = baseline arm, experiment = candidate arm, the same windows in the same order), so a team
 * that already judges with Kayenta can feed hotswap's windows to its own classifier.
 */
export interface CanaryArchive {
  results: {
    name: string;
    tags: Record<string, string>;
    values: { control: number[]; experiment: number[] };
  }[];
}

export const toKayentaArchive = (model: ReportModel): CanaryArchive => ({
  results: model.comparisons.map((c) => ({
    name: c.metric === 'latencyMs' ? `latencyMs_p${+((c.quantile ?? 0) * 100).toFixed(3)}` : c.metric,
    tags: {
      endpoint: c.endpoint,
      unit: c.unit,
      windows: c.baseline.runIds.join(','),
      ...(c.quantile !== undefined ? { quantile: String(c.quantile) } : {}),
    },
    values: { control: c.baseline.values, experiment: c.candidate.values },
  })),
});
