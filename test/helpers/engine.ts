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

/**
 * The findings of `edited` analysed right after `text` under the same path (so parsed
 * incrementally from its tree), and analysed afresh, one line per finding, for comparison.
 */
export function incrementalAndFresh(engine: Engine, filePath: string, text: string, edited: string, config: ResolvedConfig): { incremental: string[]; fresh: string[] } {
  const lines = (r: ReturnType<Engine['analyze']>) => r.findings.map((x) => `${x.rule}@${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${x.message}`);
  engine.analyze({ filePath, text }, config);
  const incremental = lines(engine.analyze({ filePath, text: edited }, config));
  engine.updateFile(filePath, undefined);
  const fresh = lines(engine.analyze({ filePath, text: edited }, config));
  engine.updateFile(filePath, undefined);
  return { incremental, fresh };
}

/** Every rule on, opt-in ones included. */
export function allRulesConfig(root = process.cwd()): ResolvedConfig {
  return { ...defaultConfig(root), select: ['all'] };
}

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures');
