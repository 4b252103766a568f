/** Wires the engine with every rule and front end: the one place the LSP server and the CLI get it from. */
import { Engine } from './engine/engine';
import { PythonFrontEnd } from './python/parser';
import { allRules } from './rules';
import { LazyTsFrontEnd } from './typescript/lazy';

export const TOOL_NAME = 'asyncsense';
// Replaced at build time from package.json.
declare const __ASYNCSENSE_VERSION__: string | undefined;
export const TOOL_VERSION: string = typeof __ASYNCSENSE_VERSION__ === 'string' ? __ASYNCSENSE_VERSION__ : '0.0.0-dev';
export const DOCS_BASE_URL = 'https://github.com/asyncsense/asyncsense/blob/main/docs/rules/';

export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export interface EngineOptions {
  log?: (message: string) => void;
  /** TS/JS rules use the TypeScript checker (default); off, they fall back to syntax alone. */
  typeAware?: boolean;
}

export async function createEngine({ log, typeAware }: EngineOptions = {}): Promise<Engine> {
  const engine = new Engine({ rules: allRules, frontEnds: [new PythonFrontEnd(), new LazyTsFrontEnd({ typeAware })], log });
  await engine.init();
  return engine;
}
