export * from './constants.js';
export type * from './warning.js';
export type * from './plan.js';
export type * from './run.js';
export type * from './samples.js';
export type * from './analysis.js';
export * from './report.js';
export * from './errors.js';
export * from './responses.js';
