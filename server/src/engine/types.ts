/**
 * Core contracts of the analysis engine. Nothing here depends on VS Code or on the
 * language-server protocol: the LSP server and the CLI are adapters over these types.
 *
 * Positions are 0-based lines and 0-based UTF-16 columns (the LSP convention); the CLI
 * converts them to 1-based numbers in its output.
 */
import type { PythonRuleContext } from '../python/context';
import type { TsRuleContext } from '../typescript/context';

export type Language = 'python' | 'typescript';

/** The pitfall family a rule belongs to (part of the CLI JSON contract). */
export type Family = 'unawaited' | 'blocking' | 'cancellation' | 'resources' | 'legacy-api' | 'hygiene';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe fixes keep the program's meaning and are applied by fix-all and `--fix`. */
  safe: boolean;
  edits: TextEdit[];
}

/** What a rule reports. The engine adds rule metadata and the effective severity. */
export interface Report {
  message: string;
  range: Range;
  /** Equivalent codes of other tools for this very finding, when narrower than the rule's. */
  anchors?: string[];
  fix?: Fix;
  /** Further alternative fixes offered only as suggestions. */
  suggestions?: Fix[];
}

export interface Finding extends Report {
  rule: string;
  family: Family;
  severity: Severity;
  anchors: string[];
}

export interface RuleExample {
  language: Language;
  /** Code that has the pitfall. */
  bad: string;
  /** The same code, fixed. */
  good: string;
}

export interface RuleDocs {
  /** One line, shown in tables and listings. */
  summary: string;
  /** What it flags (markdown). */
  what: string;
  /** Why it hurts (markdown). */
  why: string;
  examples: RuleExample[];
  /** How the fix works and when it is safe (markdown). */
  fix?: string;
  /** Known limits, cases deliberately not reported (markdown). */
  notes?: string;
}

export interface Rule {
  /** Stable kebab-case id, shown as the diagnostic code. */
  id: string;
  family: Family;
  languages: Language[];
  defaultSeverity: Severity;
  /** Off unless selected in the configuration. */
  optIn?: boolean;
  /** Codes of other tools this rule corresponds to (ruff/flake8-async, pyright, typescript-eslint, ...). */
  anchors: string[];
  /** Whether the rule can offer a fix. */
  fixable: 'safe' | 'suggestion' | 'none';
  docs: RuleDocs;
  check: {
    python?: (ctx: PythonRuleContext) => void;
    typescript?: (ctx: TsRuleContext) => void;
  };
}

/** A comment as the front ends see it (never text inside a string). */
export interface SourceComment {
  /** Text including the comment markers (`#`, `//`, `/*`). */
  text: string;
  range: Range;
  /** True when nothing but whitespace precedes the comment on its line. */
  ownLine: boolean;
}

/** Settings of the analysed file that rules may depend on. */
export interface RuleSettings {
  /** Oldest Python version the project supports (`target-version`, or `requires-python`). */
  pythonVersion?: readonly [number, number];
}

export interface RuleContextBase {
  readonly language: Language;
  readonly settings: RuleSettings;
  /** Absolute path of the file (or a pseudo path for untitled documents). */
  readonly filePath: string;
  readonly text: string;
  report(report: Report): void;
}
