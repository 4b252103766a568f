import * as path from 'node:path';
import { createEngine } from '../../server/src/analyzer';
import { defaultConfig, type ResolvedConfig } from '../../server/src/engine/config';
import type { Engine } from '../../server/src/engine/engine';

let shared: Promise<Engine> | undefined;
let syntaxOnly: Promise<Engine> | undefined;

/** One engine for the whole test run (loading the grammar once). */
export function testEngine(): Promise<Engine> {
  shared ??= createEngine();
  return shared;
}

/** An engine whose TS/JS rules run without the TypeScript checker (for high-volume fuzzing). */
export function syntaxOnlyEngine(): Promise<Engine> {
  syntaxOnly ??= createEngine({ typeAware: false });
  return syntaxOnly;
}

/** Every rule on, opt-in ones included. */
export function allRulesConfig(root = process.cwd()): ResolvedConfig {
  return { ...defaultConfig(root), select: ['all'] };
}

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures');
