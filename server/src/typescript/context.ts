import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { LineIndex } from '../engine/text';
import type { Range, RuleContextBase } from '../engine/types';
import type { TsImports } from './imports';
import type { TypeServices } from './project';

/** What a TypeScript/JavaScript rule receives. */
export interface TsRuleContext extends RuleContextBase {
  readonly language: 'typescript';
  readonly ast: TSESTree.Program;
  readonly lines: LineIndex;
  /** Module bindings: which local names refer to which module exports (`import`, `require`). */
  readonly imports: TsImports;
  /** Type information from the TypeScript checker, created lazily; undefined when unavailable. */
  types(): TypeServices | undefined;
  rangeOf(node: TSESTree.Node | TSESTree.Token): Range;
}
