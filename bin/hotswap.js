#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/ into dist/ by `npm run build` (run by `npm run setup`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('hotswap: not built yet; run `npm run setup` (or `npm run build`) first\n');
  process.exit(2);
}
await import(entry);
