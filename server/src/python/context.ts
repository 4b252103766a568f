import type { SyntaxNode as Node, SyntaxTree as Tree } from './syntax';
import type { LineIndex } from '../engine/text';
import type { Range, RuleContextBase } from '../engine/types';
import type { PythonProjectIndex } from './project';
import type { PythonScope } from './scope';
import type { AwaitableResolver } from './awaitables';

/** What the rules of one file work out once and share (each made on first use). */
export interface SharedAnalyses {
  awaitables?: AwaitableResolver;
}

/** What a Python rule receives. */
export interface PythonRuleContext extends RuleContextBase {
  readonly language: 'python';
  readonly tree: Tree;
  readonly lines: LineIndex;
  /** Import/alias/shadowing resolver shared by all rules of the file. */
  readonly scope: PythonScope;
  /** Coroutine functions and classes of the other modules of the project. */
  readonly project: PythonProjectIndex;
  /** What the file's rules share: see SharedAnalyses. */
  readonly shared: SharedAnalyses;
  rangeOf(node: Node): Range;
}
