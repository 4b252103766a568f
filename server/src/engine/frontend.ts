import type { Language, Report, RuleContextBase, RuleSettings, SourceComment } from './types';

/** One parsed file, ready for the rules of its language. */
export interface ParsedFile<C extends RuleContextBase = RuleContextBase> {
  /** Every comment of the file (used for suppressions). */
  comments: SourceComment[];
  /** Builds the context handed to each rule; `report` collects that rule's findings. */
  makeContext(report: (report: Report) => void, settings?: RuleSettings): C;
  /** Releases parser memory (tree-sitter trees live in WASM memory). */
  dispose(): void;
}

/** A language front end: parses text and gives rules what they need. Never executes user code. */
export interface FrontEnd<C extends RuleContextBase = RuleContextBase> {
  readonly language: Language;
  /** File extensions handled, with the dot. */
  readonly extensions: readonly string[];
  /** One-time asynchronous set-up (loading a WASM grammar...). Idempotent. */
  init(): Promise<void>;
  parse(filePath: string, text: string): ParsedFile<C>;
  /**
   * Whether any rule of the front end can report in a text, told without parsing it (a module
   * with no async code in it or behind its imports): when false, the file is not parsed and has
   * no findings.
   */
  mayReport?(filePath: string, text: string): boolean;
  /** Tells the front end that a file changed or was opened in an editor (for project-wide indexes). */
  updateFile?(filePath: string, text: string | undefined): void;
  /**
   * Files about to be analysed together (a scan): a front end may set up shared state for all at
   * once, and may return the order in which to analyse them (the same files).
   */
  prepareFiles?(filePaths: readonly string[]): readonly string[] | void;
}

/**
 * Thrown by a front end for input it declines to analyse (not a bug): the file is reported as
 * skipped. Recognised by its name rather than its class: the TypeScript front end is bundled on
 * its own, with its own copy of this class.
 */
export class SkipFileError extends Error {
  override name = 'SkipFileError';
}

export function isSkipFileError(e: unknown): e is SkipFileError {
  return e instanceof Error && e.name === 'SkipFileError';
}
