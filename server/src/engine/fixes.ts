import type { ResolvedConfig } from './config';
import type { AnalyzeInput, Engine } from './engine';
import { applyEdits } from './text';
import type { Finding, Fix, TextEdit } from './types';

export interface FixOptions {
  /** Also apply fixes that are only suggestions. */
  unsafe?: boolean;
  /** Rule ids whose fixes are never applied. */
  exclude?: readonly string[];
  /** Passes over the text; fixes that overlap are applied in a later pass. */
  maxPasses?: number;
}

export interface FixResult {
  text: string;
  /** Number of fixes applied. */
  applied: number;
  /** Findings left after fixing. */
  remaining: Finding[];
  /** Rules that threw on some pass (AsyncSense bugs). */
  ruleErrors: { rule: string; message: string }[];
}

/** The fix to apply for a finding under the options, if any. */
export function applicableFix(finding: Finding, options: FixOptions = {}): Fix | undefined {
  if (options.exclude?.includes(finding.rule)) return undefined;
  if (finding.fix && (finding.fix.safe || options.unsafe)) return finding.fix;
  if (options.unsafe) return finding.suggestions?.[0];
  return undefined;
}

/**
 * Chooses a set of fixes whose edits do not overlap, in finding order: the edits of one
 * fix-all round. Fixes are all-or-nothing.
 */
export function nonOverlappingFixes(findings: readonly Finding[], options: FixOptions = {}): { fixes: Fix[]; edits: TextEdit[] } {
  const fixes: Fix[] = [];
  const edits: TextEdit[] = [];
  const taken: { start: [number, number]; end: [number, number] }[] = [];
  const key = (p: { line: number; character: number }): [number, number] => [p.line, p.character];
  const lt = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = applicableFix(finding, options);
    if (!fix) continue;
    const spans = fix.edits.map((e) => ({ start: key(e.range.start), end: key(e.range.end) }));
    const clash = spans.some((s) =>
      taken.some((t) => {
        const bothInsert = !lt(s.start, s.end) && !lt(t.start, t.end);
        // Identical insertions (e.g. the same `import asyncio`) from two fixes: keep one.
        if (bothInsert) return false;
        return lt(s.start, t.end) && lt(t.start, s.end);
      }),
    );
    if (clash) continue;
    fixes.push(fix);
    taken.push(...spans);
    for (const e of fix.edits) {
      const id = `${e.range.start.line}:${e.range.start.character}:${e.range.end.line}:${e.range.end.character}:${e.newText}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edits.push(e);
    }
  }
  return { fixes, edits };
}

/** Applies fixes until none is left (or `maxPasses`), re-analysing after each pass. */
export function fixText(engine: Engine, input: AnalyzeInput, config: ResolvedConfig, options: FixOptions = {}): FixResult {
  let text = input.text;
  let applied = 0;
  const ruleErrors: FixResult['ruleErrors'] = [];
  const analyze = (t: string) => {
    const result = engine.analyze({ ...input, text: t }, config);
    ruleErrors.push(...result.ruleErrors.filter((e) => !ruleErrors.some((x) => x.rule === e.rule)));
    return result;
  };
  const maxPasses = options.maxPasses ?? 10;
  for (let pass = 0; pass < maxPasses; pass++) {
    const result = analyze(text);
    const { fixes, edits } = nonOverlappingFixes(result.findings, options);
    if (fixes.length === 0) return { text, applied, remaining: result.findings, ruleErrors };
    const next = applyEdits(text, edits).text;
    if (next === text) return { text, applied, remaining: result.findings, ruleErrors };
    text = next;
    applied += fixes.length;
  }
  return { text, applied, remaining: analyze(text).findings, ruleErrors };
}
