import { createRequire } from 'node:module';

// src/cli and dist/cli both sit two levels below package.json.
const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

export const VERSION: string = pkg.version;
