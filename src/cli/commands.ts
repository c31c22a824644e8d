import type { Command } from 'commander';
import type { Io } from './io.js';
import { analyzeCommand } from './analyze.js';
import { canaryCommand } from './canary.js';
import { compareCommand } from './compare.js';
import { corpusCommand } from './corpus.js';
import { demoCommand } from './demo.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { serviceCommand } from './service.js';
import { statsCommand } from './stats.js';
import { planCommand } from './plan.js';
import { profileCommand } from './profile.js';
import { trialCommand } from './trial.js';

/**
 * Every subcommand is one thin file exporting a `CommandModule`: flag handling around one pipeline
 * function. The registry below is the one place that lists them.
 */
export interface CommandModule {
  register: (program: Command, io: Io, setExit: (code: number) => void) => void;
}

export const COMMANDS: CommandModule[] = [
  corpusCommand,
  runCommand,
  trialCommand,
  demoCommand,
  analyzeCommand,
  reportCommand,
  serviceCommand,
  compareCommand,
  statsCommand,
  planCommand,
  canaryCommand,
  profileCommand,
];
