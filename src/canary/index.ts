export { runCanary, canarySpecOf, CANARY_FILES, type CanaryOptions, type CanaryOutcome } from './run.js';
export { queryRange, MAX_POINTS_PER_SERIES } from './prometheus.js';
export { DEFAULT_QUERIES, REQUIRED_QUERIES, renderQueries, cpuSeparable } from './queries.js';
export { readDataFile, toDataFile, DATA_FORMAT, type CanaryDataFile } from './data-file.js';
export { toKayentaArchive, type CanaryArchive } from './kayenta.js';
export { parseDuration, parseEnd, promDuration } from './duration.js';
