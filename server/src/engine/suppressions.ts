/**
 * Suppression comments.
 *
 * Python:  `# asyncsense: ignore[rule-a, rule-b]` on the line, or alone on the line above;
 *          `# asyncsense: ignore` (every rule); `# asyncsense: ignore-file[rule]` / `ignore-file`;
 *          `# noqa: ASYNC251` silences rules whose anchors include the code; a bare `# noqa`
 *          silences everything on its line (as in ruff); `# pyright: ignore[reportUnusedCoroutine]`
 *          silences the findings anchored to that pyright rule (a bare `# pyright: ignore`, every
 *          finding with a pyright equivalent on the line).
 * TS/JS:   `// asyncsense-ignore-next-line rule-a, rule-b` above the line,
 *          `// asyncsense-ignore-line rule-a` on the line, `// asyncsense-ignore-file [rules]`;
 *          an ESLint-style ` -- reason` tail is allowed. `// eslint-disable-next-line` and
 *          `// eslint-disable-line` naming an equivalent ESLint rule
 *          (`@typescript-eslint/no-floating-promises`, `no-async-promise-executor`, ...) silence
 *          the findings anchored to it; without a rule list they silence every finding that has an
 *          ESLint equivalent, as they silence every ESLint rule.
 *
 * AsyncSense's own suppressions that silence nothing are reported as `unused-suppression`;
 * `# noqa` comments are shared with other tools and never reported.
 */
import { LineIndex } from './text';
import type { Finding, Language, Range, SourceComment, TextEdit } from './types';

/** An equivalent code that names a pyright rule (`reportUnusedCoroutine`). */
export function isPyrightRule(anchor: string): boolean {
  return /^report[A-Z]/.test(anchor);
}

/** An equivalent code that names an ESLint rule: no upper case, unlike ruff codes (`ASYNC251`). */
export function isEslintRule(anchor: string): boolean {
  return anchor === anchor.toLowerCase();
}

export interface Suppression {
  kind: 'asyncsense' | 'noqa' | 'eslint' | 'pyright';
  /** Line the suppression applies to; -1 for the whole file. */
  line: number;
  /** Rule ids (asyncsense) or codes (noqa); `null` means every rule. */
  ids: string[] | null;
  comment: SourceComment;
  /** Range of the directive inside the comment (for precise unused reports). */
  directiveRange: Range;
  /** Offsets of each id inside the comment text, for removal fixes. */
  idSpans: { id: string; start: number; end: number }[];
  used: Set<string>;
  usedBlanket: boolean;
}

const PY_DIRECTIVE = /asyncsense:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?/g;
const PY_NOQA = /(?:^|[\s#])noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/gi;
const TS_DIRECTIVE = /asyncsense-(ignore-next-line|ignore-line|ignore-file)\b((?:(?!\s--\s|\*\/)[^\n])*)/g;
const PY_PYRIGHT = /(?:^|[\s#])pyright:\s*ignore(?:\[([^\]]*)\])?/g;
const ESLINT_DIRECTIVE = /^\s*eslint-disable-(next-line|line)\b((?:(?!\s--\s|\*\/)[^\n])*)/;

/**
 * Whether a text can hold a suppression directive at all. When it cannot, the front end need
 * not collect its comments (a walk of the whole tree).
 */
export function mayHaveSuppressions(text: string, language: Language): boolean {
  return language === 'python'
    ? text.includes('asyncsense') || /noqa/i.test(text) || text.includes('pyright:')
    : text.includes('asyncsense-') || text.includes('eslint-disable-');
}

export function parseSuppressions(comments: readonly SourceComment[], language: Language): Suppression[] {
  const out: Suppression[] = [];
  for (const comment of comments) {
    if (language === 'python') parsePython(comment, out);
    else parseTs(comment, out);
  }
  return out;
}

function make(
  kind: Suppression['kind'],
  comment: SourceComment,
  line: number,
  ids: string[] | null,
  matchStart: number,
  matchEnd: number,
  idSpans: Suppression['idSpans'],
): Suppression {
  // Comments never span lines in Python; in TS a block comment may, and directives are one-line.
  const start = { line: comment.range.start.line, character: comment.range.start.character + matchStart };
  const end = { line: comment.range.start.line, character: comment.range.start.character + matchEnd };
  return { kind, line, ids, comment, directiveRange: { start, end }, idSpans, used: new Set(), usedBlanket: false };
}

function splitIds(list: string, offset: number): { ids: string[]; spans: Suppression['idSpans'] } {
  const ids: string[] = [];
  const spans: Suppression['idSpans'] = [];
  const re = /[A-Za-z0-9_\-/@.]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(list))) {
    ids.push(m[0]);
    spans.push({ id: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
  }
  return { ids, spans };
}

function targetLine(comment: SourceComment): number {
  // A comment alone on its line applies to the next line, a trailing one to its own line.
  return comment.ownLine ? comment.range.start.line + 1 : comment.range.start.line;
}

function parsePython(comment: SourceComment, out: Suppression[]): void {
  const text = comment.text;
  PY_DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PY_DIRECTIVE.exec(text))) {
    const isFile = m[1] === 'ignore-file';
    let ids: string[] | null = null;
    let spans: Suppression['idSpans'] = [];
    if (m[2] !== undefined) {
      const listStart = m.index + m[0].indexOf('[') + 1;
      const split = splitIds(m[2], listStart);
      ids = split.ids;
      spans = split.spans;
    }
    out.push(make('asyncsense', comment, isFile ? -1 : targetLine(comment), ids, m.index, m.index + m[0].length, spans));
  }
  PY_NOQA.lastIndex = 0;
  while ((m = PY_NOQA.exec(text))) {
    // `noqa` must start a comment segment: `# noqa`, `#noqa`, or `# ... # noqa`.
    const before = text.slice(0, m.index + (m[0].startsWith('noqa') || m[0].startsWith('NOQA') ? 0 : 1)).trimEnd();
    if (!before.endsWith('#')) continue;
    const codes = m[1] ? m[1].split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) : null;
    out.push(make('noqa', comment, comment.range.start.line, codes, m.index, m.index + m[0].length, []));
  }
  PY_PYRIGHT.lastIndex = 0;
  while ((m = PY_PYRIGHT.exec(text))) {
    const rules = m[1] ? m[1].split(',').map((r) => r.trim()).filter(Boolean) : null;
    out.push(make('pyright', comment, comment.range.start.line, rules, m.index, m.index + m[0].length, []));
  }
}

function parseTs(comment: SourceComment, out: Suppression[]): void {
  const text = comment.text;
  TS_DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TS_DIRECTIVE.exec(text))) {
    const kind = m[1];
    const listStart = m.index + m[0].length - m[2].length;
    const split = splitIds(m[2], listStart);
    const ids = split.ids.length ? split.ids : null;
    const line =
      kind === 'ignore-file' ? -1 : kind === 'ignore-next-line' ? comment.range.end.line + 1 : comment.range.start.line;
    out.push(make('asyncsense', comment, line, ids, m.index, m.index + m[0].length, split.spans));
  }
  // `// eslint-disable-next-line rule` / `/* eslint-disable-line rule */`: the comment's body starts with it.
  const body = text.replace(/^(\/\/|\/\*)/, '');
  const e = ESLINT_DIRECTIVE.exec(body);
  if (e) {
    const offset = text.length - body.length;
    const ids = e[2].split(',').map((id) => id.trim()).filter(Boolean);
    const line = e[1] === 'next-line' ? comment.range.end.line + 1 : comment.range.start.line;
    out.push(make('eslint', comment, line, ids.length ? ids : null, offset + e.index, offset + e.index + e[0].length, []));
  }
}

export interface ApplyOptions {
  isEnabled(ruleId: string): boolean;
  isKnown(ruleId: string): boolean;
  reportUnused: boolean;
  text: string;
}

/**
 * Removes suppressed findings and, when asked, adds `unused-suppression` findings for
 * AsyncSense directives that silenced nothing.
 */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], options: ApplyOptions): Finding[] {
  const kept: Finding[] = [];
  for (const finding of findings) {
    let suppressed = false;
    for (const s of suppressions) {
      if (s.line !== -1 && s.line !== finding.range.start.line) continue;
      if (s.kind === 'asyncsense') {
        if (s.ids === null) {
          s.usedBlanket = true;
          suppressed = true;
        } else if (s.ids.includes(finding.rule)) {
          s.used.add(finding.rule);
          suppressed = true;
        }
      } else if (s.kind === 'pyright' || s.kind === 'eslint') {
        const theirs = finding.anchors.filter(s.kind === 'pyright' ? isPyrightRule : isEslintRule);
        if (s.ids === null ? theirs.length > 0 : theirs.some((a) => s.ids!.includes(a))) suppressed = true;
      } else if (s.ids === null || finding.anchors.some((a) => s.ids!.includes(a.toUpperCase()))) {
        suppressed = true;
      }
    }
    if (!suppressed) kept.push(finding);
  }
  if (!options.reportUnused) return kept;

  const index = new LineIndex(options.text);
  for (const s of suppressions) {
    if (s.kind !== 'asyncsense') continue;
    if (s.ids === null) {
      if (!s.usedBlanket) kept.push(unusedFinding(s, 'Unused suppression: it silences no finding', removeDirective(s, index)));
      continue;
    }
    const unused = s.idSpans.filter((span) => !s.used.has(span.id) && (options.isEnabled(span.id) || !options.isKnown(span.id)));
    if (unused.length === 0) continue;
    const unknown = unused.filter((u) => !options.isKnown(u.id)).map((u) => u.id);
    const names = unused.map((u) => `'${u.id}'`).join(', ');
    const message = unknown.length
      ? `Unknown rule id${unknown.length > 1 ? 's' : ''} in suppression: ${unknown.map((u) => `'${u}'`).join(', ')}`
      : `Unused suppression of ${names}: no such finding here`;
    const allUnused = unused.length === s.idSpans.length;
    const fix = allUnused ? removeDirective(s, index) : removeIds(s, unused);
    kept.push(unusedFinding(s, message, fix));
  }
  return kept;
}

function unusedFinding(s: Suppression, message: string, edits: TextEdit[]): Finding {
  return {
    rule: 'unused-suppression',
    family: 'hygiene',
    severity: 'warning',
    anchors: [],
    message,
    range: s.directiveRange,
    fix: { title: 'Remove unused suppression', safe: true, edits },
  };
}

/** Edits that remove the directive: the whole comment (and its line when alone on it) if nothing else is in it. */
function removeDirective(s: Suppression, index: LineIndex): TextEdit[] {
  const c = s.comment;
  const rest = (c.text.slice(0, s.directiveRange.start.character - c.range.start.character) +
    c.text.slice(s.directiveRange.end.character - c.range.start.character))
    .replace(/^(#|\/\/|\/\*)/, '')
    .replace(/\*\/$/, '')
    .replace(/--.*$/s, '')
    .replace(/[#\s]/g, '');
  if (rest.length > 0) {
    // Other content shares the comment (`# asyncsense: ignore[x]  # note`, `# noqa: E501  # asyncsense: ignore[x]`):
    // drop only the directive and the separator that joins it to the rest.
    const rel = s.directiveRange.start.character - c.range.start.character;
    const relEnd = s.directiveRange.end.character - c.range.start.character;
    const prefix = c.text.slice(0, rel);
    const line = c.range.start.line;
    const at = (k: number) => ({ line, character: c.range.start.character + k });
    if (/^(#|\/\/|\/\*)\s*$/.test(prefix)) {
      // The directive opens the comment: remove the marker up to the next segment's own marker.
      let end = relEnd;
      while (end < c.text.length && /\s/.test(c.text[end])) end++;
      if (c.text.startsWith('#', end) || c.text.startsWith('//', end)) return [{ range: { start: at(0), end: at(end) }, newText: '' }];
      return [{ range: { start: at(prefix.length), end: at(end) }, newText: '' }];
    }
    const marker = /(#|\/\/)\s*$/.exec(prefix);
    const start = marker ? prefix.slice(0, marker.index).trimEnd().length : rel;
    return [{ range: { start: at(start), end: at(relEnd) }, newText: '' }];
  }
  const line = c.range.start.line;
  if (c.ownLine && c.range.end.line === line) {
    // Remove the whole line including its break.
    const startOff = index.lineStart(line);
    const endOff = line + 1 < index.lineCount ? index.lineStart(line + 1) : index.lineEnd(line);
    return [{ range: index.range(startOff, endOff), newText: '' }];
  }
  // Trailing comment: remove it and the whitespace before it.
  const lineText = index.lineText(line);
  let startChar = c.range.start.character;
  while (startChar > 0 && /[ \t]/.test(lineText[startChar - 1])) startChar--;
  return [{ range: { start: { line, character: startChar }, end: c.range.end }, newText: '' }];
}

function removeIds(s: Suppression, unused: Suppression['idSpans']): TextEdit[] {
  const base = s.comment.range.start;
  const text = s.comment.text;
  const edits: TextEdit[] = [];
  for (const span of unused) {
    // Remove the id with the separator that follows it, or the one before it for the last id.
    let start = span.start;
    let end = span.end;
    const after = /^\s*,\s*/.exec(text.slice(end));
    if (after) end += after[0].length;
    else {
      const before = /\s*,\s*$/.exec(text.slice(0, start));
      if (before) start -= before[0].length;
    }
    edits.push({
      range: { start: { line: base.line, character: base.character + start }, end: { line: base.line, character: base.character + end } },
      newText: '',
    });
  }
  return mergeAdjacent(edits);
}

function mergeAdjacent(edits: TextEdit[]): TextEdit[] {
  edits.sort((a, b) => a.range.start.character - b.range.start.character);
  const out: TextEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.range.end.character >= e.range.start.character) {
      if (e.range.end.character > last.range.end.character) last.range.end = e.range.end;
    } else out.push({ range: { start: { ...e.range.start }, end: { ...e.range.end } }, newText: '' });
  }
  return out;
}

/**
 * The edit for "Disable <rule> for this line": extends an existing AsyncSense directive that
 * targets the line, or adds one (trailing comment in Python, a line above in TS/JS).
 */
export function disableForLineEdit(
  language: Language,
  text: string,
  comments: readonly SourceComment[],
  line: number,
  ruleId: string,
): TextEdit {
  const index = new LineIndex(text);
  for (const s of parseSuppressions(comments, language)) {
    if (s.kind !== 'asyncsense' || s.line !== line || s.ids === null) continue;
    if (s.ids.includes(ruleId)) break;
    const last = s.idSpans[s.idSpans.length - 1];
    const base = s.comment.range.start;
    const at = last ? { line: base.line, character: base.character + last.end } : s.directiveRange.end;
    return { range: { start: at, end: at }, newText: last ? `, ${ruleId}` : ` ${ruleId}` };
  }
  const lineText = index.lineText(line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  // A trailing comment cannot go where the line ends inside a string or a continuation.
  const trailingUnsafe = /"""|'''|\\$/.test(lineText);
  if (language === 'python' && !trailingUnsafe) {
    const end = { line, character: index.lineEnd(line) - index.lineStart(line) };
    return { range: { start: end, end }, newText: `  # asyncsense: ignore[${ruleId}]` };
  }
  const start = { line, character: 0 };
  const directive = language === 'python' ? `# asyncsense: ignore[${ruleId}]` : `// asyncsense-ignore-next-line ${ruleId}`;
  return { range: { start, end: start }, newText: `${indent}${directive}${index.eol(line)}` };
}
