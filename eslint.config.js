// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Imports point down the pipeline: plan → drivers/trial → store → ingest → analysis → report.
 * Each entry lists the stages a folder must not import from. Analysis and report are a pure core,
 * so they may not touch the file system, child processes or the clock-bearing parts either.
 */
const STAGES = ['cli', 'plan', 'drivers', 'trial', 'canary', 'store', 'ingest', 'analysis', 'report'];
const ALLOWED = {
  model: [],
  plan: [],
  store: [],
  ingest: [],
  analysis: [],
  report: [],
  drivers: ['store', 'plan', 'ingest'],
  trial: ['drivers', 'store', 'plan', 'ingest'],
  canary: ['store', 'plan', 'ingest', 'analysis', 'report'],
  corpus: [],
};
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
];
const PURE = new Set(['model', 'analysis', 'report', 'plan']);

const boundaryBlocks = Object.entries(ALLOWED).map(([folder, allowed]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: PURE.has(folder)
          ? IO_MODULES.map((name) => ({
              name,
              message: `src/${folder} is pure: do I/O at the edges (cli, store, ingest, drivers, trial).`,
            }))
          : [],
        patterns: STAGES.filter((s) => s !== folder && !allowed.includes(s)).map((stage) => ({
          group: [`**/${stage}/*`, `**/${stage}`],
          message: `src/${folder} must not import from src/${stage}: imports point down the pipeline (see ARCHITECTURE.md).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      'build/',
      'reports/',
      'service/',
      'test/fixtures/',
      'test-artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        __ENV: 'readonly',
        __VU: 'readonly',
        __ITER: 'readonly',
        open: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  ...boundaryBlocks,
);
