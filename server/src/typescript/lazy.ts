/**
 * The TS/JS half of the analyser, loaded on first use. Loading the TypeScript compiler and
 * typescript-estree takes about a quarter of a second: a run or an editor session on Python
 * files alone never pays for it. The rules and the engine hold these stand-ins, which load the
 * real front end and checks when a TS/JS file is first analysed.
 */
import type { FrontEnd, ParsedFile } from '../engine/frontend';
import type { TsRuleContext } from './context';
import { TS_EXTENSIONS } from './extensions';
import type * as Support from './support';

let support: typeof Support | undefined;

export function tsSupport(): typeof Support {
  // A bundle of its own next to the server's (see scripts/build.mjs), the module itself in tests.
  support ??= require('./support') as typeof Support;
  return support;
}

export const checkAbortSignalIgnored = (ctx: TsRuleContext): void => tsSupport().checkAbortSignalIgnored(ctx);
export const checkFetchWithoutTimeout = (ctx: TsRuleContext): void => tsSupport().checkFetchWithoutTimeout(ctx);
export const checkSwallowedAbort = (ctx: TsRuleContext): void => tsSupport().checkSwallowedAbort(ctx);
export const checkTimerOrListenerLeak = (ctx: TsRuleContext): void => tsSupport().checkTimerOrListenerLeak(ctx);
export const checkTsBlockingCalls = (ctx: TsRuleContext): void => tsSupport().checkTsBlockingCalls(ctx);
export const checkFloatingPromises = (ctx: TsRuleContext): void => tsSupport().checkFloatingPromises(ctx);
export const checkMisusedPromises = (ctx: TsRuleContext): void => tsSupport().checkMisusedPromises(ctx);
export const checkIdbTransactionAcrossAwait = (ctx: TsRuleContext): void => tsSupport().checkIdbTransactionAcrossAwait(ctx);
export const checkUnclosedTsResources = (ctx: TsRuleContext): void => tsSupport().checkUnclosedResources(ctx);

/** The TS/JS front end, created (and the compiler loaded) when a TS/JS file is first parsed or announced. */
export class LazyTsFrontEnd implements FrontEnd<TsRuleContext> {
  readonly language = 'typescript' as const;
  readonly extensions = TS_EXTENSIONS;
  private real: Support.TsFrontEnd | undefined;

  constructor(private readonly options: { typeAware?: boolean } = {}) {}

  /** The real front end (loading it if needed). */
  get frontEnd(): Support.TsFrontEnd {
    this.real ??= new (tsSupport().TsFrontEnd)(this.options);
    return this.real;
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  parse(filePath: string, text: string): ParsedFile<TsRuleContext> {
    return this.frontEnd.parse(filePath, text);
  }

  updateFile(filePath: string, text: string | undefined): void {
    // A file closed or deleted before any TS/JS analysis: there is nothing to forget.
    if ((text === undefined || filePath.endsWith('package.json')) && !this.real) return;
    this.frontEnd.updateFile(filePath, text);
  }

  prepareFiles(filePaths: readonly string[]): void {
    if (filePaths.length) this.frontEnd.prepareFiles(filePaths);
  }
}
