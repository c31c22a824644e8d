/** The request corpus: format (documented in format.ts) and a seeded generator for the reference service. */
export * from './format.js';
export { generateCorpus, toNdjsonLine, LOGNORMAL_SIGMA, type CorpusOptions } from './generate.js';
export { unsafePathReason, assertSafePath, validateCorpusText } from './validate.js';
