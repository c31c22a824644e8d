import { writeFileAtomic } from '../store/index.js';

/**
 * Saves one Prometheus text scrape of the service to `file`. A failed scrape is not fatal (the run's
 * resource figures are then missing and the report says so): it returns false and the caller records it.
 */
export const scrapeTo = async (metricsUrl: string | undefined, file: string): Promise<boolean> => {
  if (!metricsUrl) return false;
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return false;
    await writeFileAtomic(file, await res.text());
    return true;
  } catch {
    return false;
  }
};
