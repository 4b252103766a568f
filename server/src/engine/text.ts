import { createHash } from 'node:crypto';
import type { Position, Range, TextEdit } from './types';

/** Maps between UTF-16 offsets and 0-based line/character positions. Handles \n, \r\n and \r. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') === -1) {
      // The usual case, searched natively.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The line break used after `line`, or the file's first one. */
  eol(line = 0): string {
    const end = this.lineEnd(line);
    const next = this.starts[line + 1];
    if (next !== undefined) return this.text.slice(end, next);
    const m = /\r\n|\n|\r/.exec(this.text);
    return m ? m[0] : '\n';
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.starts[pos.line];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/**
 * Applies non-overlapping edits to a text. Edits that overlap an earlier-accepted edit are
 * skipped and returned in `skipped`, so callers can iterate (as `--fix` does) instead of
 * producing a corrupted file.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: number; skipped: TextEdit[] } {
  const index = new LineIndex(text);
  const withOffsets = edits.map((edit, order) => ({
    edit,
    order,
    start: index.offsetAt(edit.range.start),
    end: index.offsetAt(edit.range.end),
  }));
  withOffsets.sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const accepted: typeof withOffsets = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of withOffsets) {
    if (e.start < lastEnd) {
      skipped.push(e.edit);
      continue;
    }
    accepted.push(e);
    lastEnd = Math.max(lastEnd, e.end);
  }
  let out = '';
  let cursor = 0;
  for (const e of accepted) {
    out += text.slice(cursor, e.start) + e.edit.newText;
    cursor = e.end;
  }
  out += text.slice(cursor);
  return { text: out, applied: accepted.length, skipped };
}

/** A short digest of a text, to recognise it again without keeping it. */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/**
 * The span that differs between two versions of a text: the length of their common prefix, and
 * of their common suffix (not overlapping the prefix). Incremental parsers start from it.
 */
export function changedSpan(before: string, after: string): { prefix: number; suffix: number } {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}
