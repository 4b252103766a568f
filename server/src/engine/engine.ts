/**
 * The analysis engine: picks the front end for a file, runs the enabled rules, applies
 * suppressions and severities. Shared by the language server and the CLI.
 */
import * as path from 'node:path';
import type { ResolvedConfig } from './config';
import { type FrontEnd, isSkipFileError } from './frontend';
import { applySuppressions, mayHaveSuppressions, parseSuppressions } from './suppressions';
import { comparePositions } from './text';
import type { Finding, Language, Report, Rule, Severity, SourceComment } from './types';

export interface AnalyzeInput {
  filePath: string;
  text: string;
  /** Overrides the language derived from the extension (e.g. an untitled editor document). */
  language?: Language;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the file was not analysed, with the reason. */
  skipped?: string;
  /** Rules that threw on this file (a bug in AsyncSense, never the user's fault). */
  ruleErrors: { rule: string; message: string }[];
}

export interface EngineOptions {
  rules: readonly Rule[];
  frontEnds: readonly FrontEnd[];
  log?: (message: string) => void;
}

export const UNUSED_SUPPRESSION = 'unused-suppression';

export class Engine {
  readonly rules: readonly Rule[];
  private readonly byId = new Map<string, Rule>();
  private readonly frontEnds: readonly FrontEnd[];
  private readonly byExtension = new Map<string, FrontEnd>();
  private readonly log: (message: string) => void;
  private ready: Promise<void> | undefined;

  constructor(options: EngineOptions) {
    this.rules = options.rules;
    for (const rule of options.rules) this.byId.set(rule.id, rule);
    this.frontEnds = options.frontEnds;
    for (const fe of options.frontEnds) for (const ext of fe.extensions) this.byExtension.set(ext, fe);
    this.log = options.log ?? (() => undefined);
  }

  /** Loads parsers. Must be awaited once before `analyze`. */
  init(): Promise<void> {
    this.ready ??= Promise.all(this.frontEnds.map((fe) => fe.init())).then(() => undefined);
    return this.ready;
  }

  rule(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  get ruleIds(): ReadonlySet<string> {
    return new Set(this.byId.keys());
  }

  get extensions(): string[] {
    return [...this.byExtension.keys()];
  }

  languageOf(filePath: string): Language | undefined {
    return this.frontEndFor(filePath)?.language;
  }

  /**
   * Announces the files of a scan before they are analysed one by one (see FrontEnd.prepareFiles),
   * and returns the order to analyse them in: the same files, each front end's files in its
   * preferred order, in the slots its files held.
   */
  prepareFiles(filePaths: readonly string[]): string[] {
    const byFrontEnd = new Map<FrontEnd, string[]>();
    for (const f of filePaths) {
      const fe = this.frontEndFor(f);
      if (!fe?.prepareFiles) continue;
      const list = byFrontEnd.get(fe);
      if (list) list.push(f);
      else byFrontEnd.set(fe, [f]);
    }
    const reordered = new Map<FrontEnd, string[]>();
    for (const [fe, files] of byFrontEnd) {
      const order = fe.prepareFiles!(files);
      if (order && order.length === files.length) reordered.set(fe, [...order].reverse());
    }
    if (!reordered.size) return [...filePaths];
    return filePaths.map((f) => {
      const fe = this.frontEndFor(f);
      return (fe && reordered.get(fe)?.pop()) ?? f;
    });
  }

  /**
   * Tells front ends that keep project-wide indexes about a changed (or deleted) file. A file of
   * no front end's (a `pyproject.toml`, a `package.json`) goes to them all: it may say where
   * imports are looked up from, or what a package is.
   */
  updateFile(filePath: string, text: string | undefined): void {
    const fe = this.frontEndFor(filePath);
    if (fe) fe.updateFile?.(filePath, text);
    else for (const each of this.frontEnds) each.updateFile?.(filePath, text);
  }

  /** Whether a rule runs under `config` (before per-rule severity `off`). */
  isEnabled(rule: Rule, config: ResolvedConfig): boolean {
    if (config.ignore.includes(rule.id) || config.ignore.includes('all')) return false;
    if (config.severity[rule.id] === 'off') return false;
    if (config.extendSelect.includes(rule.id) || config.extendSelect.includes('all')) return true;
    if (config.select === null) return !rule.optIn;
    return config.select.includes(rule.id) || config.select.includes('all');
  }

  severityOf(rule: Rule, config: ResolvedConfig): Severity {
    const s = config.severity[rule.id];
    return s && s !== 'off' ? s : rule.defaultSeverity;
  }

  analyze(input: AnalyzeInput, config: ResolvedConfig): AnalysisResult {
    const fe = input.language
      ? this.frontEnds.find((f) => f.language === input.language)
      : this.frontEndFor(input.filePath);
    if (!fe) return { findings: [], skipped: 'not a Python, TypeScript or JavaScript file', ruleErrors: [] };
    const reason = unanalysableReason(input.text, config.maxFileSize) ?? (fe.language === 'typescript' && JS_FILE.test(input.filePath) ? minifiedReason(input.text) : undefined);
    if (reason) return { findings: [], skipped: reason, ruleErrors: [] };
    if (!this.mayReport(fe, input.filePath, input.text)) return { findings: [], ruleErrors: [] };

    let parsed: ReturnType<FrontEnd['parse']>;
    try {
      parsed = fe.parse(input.filePath, input.text);
    } catch (e) {
      if (isSkipFileError(e)) return { findings: [], skipped: e.message, ruleErrors: [] };
      // A parser failure is an AsyncSense bug: report it like a rule failure, never crash.
      const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
      this.log(`parser for ${fe.language} failed on ${input.filePath}: ${message}`);
      return { findings: [], skipped: 'internal error while parsing', ruleErrors: [{ rule: `${fe.language}-parser`, message }] };
    }
    const findings: Finding[] = [];
    const ruleErrors: AnalysisResult['ruleErrors'] = [];
    try {
      for (const rule of this.rules) {
        const check = rule.check[fe.language];
        if (!check || !this.isEnabled(rule, config)) continue;
        const severity = this.severityOf(rule, config);
        const reports: Report[] = [];
        try {
          check(parsed.makeContext((r) => reports.push(r), { pythonVersion: config.pythonVersion }) as never);
        } catch (e) {
          const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
          ruleErrors.push({ rule: rule.id, message });
          this.log(`rule ${rule.id} failed on ${input.filePath}: ${message}`);
          continue;
        }
        for (const r of reports) {
          findings.push({
            ...r,
            rule: rule.id,
            family: rule.family,
            severity,
            anchors: r.anchors ?? rule.anchors,
          });
        }
      }
      const suppressions = mayHaveSuppressions(input.text, fe.language) ? parseSuppressions(parsed.comments, fe.language) : [];
      const unusedRule = this.byId.get(UNUSED_SUPPRESSION);
      const kept = applySuppressions(findings, suppressions, {
        isEnabled: (id) => {
          const r = this.byId.get(id);
          return r !== undefined && this.isEnabled(r, config) && r.check[fe.language] !== undefined;
        },
        isKnown: (id) => this.byId.has(id),
        reportUnused: unusedRule !== undefined && this.isEnabled(unusedRule, config),
        text: input.text,
      });
      if (unusedRule) {
        for (const f of kept) {
          if (f.rule === UNUSED_SUPPRESSION) {
            f.severity = this.severityOf(unusedRule, config);
            f.family = unusedRule.family;
            f.anchors = unusedRule.anchors;
          }
        }
      }
      kept.sort((a, b) => comparePositions(a.range.start, b.range.start) || a.rule.localeCompare(b.rule));
      return { findings: kept, ruleErrors };
    } finally {
      parsed.dispose();
    }
  }

  /** Whether the front end's rules can report in a text (see FrontEnd.mayReport); a failure of the check means yes. */
  private mayReport(fe: FrontEnd, filePath: string, text: string): boolean {
    if (!fe.mayReport) return true;
    try {
      return fe.mayReport(filePath, text);
    } catch (e) {
      this.log(`${fe.language} relevance check failed on ${filePath}: ${e instanceof Error ? e.message : String(e)}`);
      return true;
    }
  }

  /** The comments of a text (for suppression edits), or undefined when it is not analysable. */
  commentsOf(filePath: string, text: string, language?: Language): SourceComment[] | undefined {
    const fe = language ? this.frontEnds.find((f) => f.language === language) : this.frontEndFor(filePath);
    if (!fe || unanalysableReason(text, Number.MAX_SAFE_INTEGER)) return undefined;
    const parsed = fe.parse(filePath, text);
    try {
      return parsed.comments;
    } finally {
      parsed.dispose();
    }
  }

  private frontEndFor(filePath: string): FrontEnd | undefined {
    return this.byExtension.get(path.extname(filePath).toLowerCase());
  }
}

/** Why a text cannot be analysed, or undefined. Binary and oversized files are skipped, not parsed. */
export function unanalysableReason(text: string, maxFileSize: number): string | undefined {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxFileSize) return `file over ${formatSize(maxFileSize)} (${formatSize(size)})`;
  if (text.indexOf('\u0000') !== -1) return 'binary file (contains NUL bytes)';
  return undefined;
}

/** JavaScript sources: the files a minifier writes (TypeScript, declarations included, is never minified). */
const JS_FILE = /\.[cm]?jsx?$/i;

/** Shortest text judged for minification, and the average line length beyond which it counts as minified. */
const MINIFIED_MIN_SIZE = 4096;
const MINIFIED_AVERAGE_LINE = 400;
/** A large text with this share of its characters on lines longer than BUNDLE_LONG_LINE is a bundle with minified parts. */
const BUNDLE_MIN_SIZE = 128 * 1024;
const BUNDLE_LONG_LINE = 2000;
const BUNDLE_LONG_SHARE = 0.25;
/** The start of an inline source map comment. */
const INLINE_SOURCE_MAP = /^\s*\/\/[#@] sourceMappingURL=data:/;

/**
 * Why a JavaScript text is not analysed when it is a minified bundle (`vendor.min.js`, a
 * `client-dist` build): its findings would point into lines of thousands of characters, at code
 * nobody edits. Judged by the average line length, so a source file with one long line (a data
 * URI, an inlined SVG) is still analysed.
 */
export function minifiedReason(text: string): string | undefined {
  if (text.length < MINIFIED_MIN_SIZE) return undefined;
  // One pass: the number of lines, and the characters on lines longer than BUNDLE_LONG_LINE. An
  // inline source map (`//# sourceMappingURL=data:...`, one base64 line as long as the code) is
  // the compiler's, not code: left out of both.
  let lines = 0;
  let long = 0;
  let size = text.length;
  for (let start = 0; start <= text.length; lines++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > BUNDLE_LONG_LINE) {
      if (INLINE_SOURCE_MAP.test(text.slice(start, start + 40))) {
        size -= stop - start;
        lines--;
      } else long += stop - start;
    }
    start = stop + 1;
  }
  if (size < MINIFIED_MIN_SIZE || lines <= 0) return undefined;
  const average = Math.round(size / lines);
  if (average > MINIFIED_AVERAGE_LINE) return `minified code (lines of ${average} characters on average)`;
  // A bundle gluing minified libraries to readable modules (jQuery then the app, 48,000 lines):
  // the average hides the minified parts, which hold much of the text on a few very long lines.
  if (size < BUNDLE_MIN_SIZE) return undefined;
  const share = long / size;
  return share >= BUNDLE_LONG_SHARE ? `minified code (${Math.round(share * 100)}% of it on lines over ${BUNDLE_LONG_LINE} characters)` : undefined;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
