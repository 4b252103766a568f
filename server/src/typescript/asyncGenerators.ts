/**
 * Calls of async generator functions (`async function* pages() {}`): the call only makes the
 * generator object, whose body runs when it is iterated with `for await` (or stepped with `next()`).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { TypeServices } from './project';
import { shadowedAt, visit } from './util';

type Node = TSESTree.Node;

/** Names of async generator functions declared in the file (`async function* f`, `const f = async function* ()`). */
export function localAsyncGenerators(ast: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  visit(ast, (n) => {
    if (n.type === 'FunctionDeclaration' && n.async && n.generator && n.id) names.add(n.id.name);
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init?.type === 'FunctionExpression' && n.init.async && n.init.generator) names.add(n.id.name);
  });
  return names;
}

function isAsyncGeneratorDeclaration(d: ts.Declaration | undefined): boolean {
  if (!d || !(ts.isFunctionDeclaration(d) || ts.isFunctionExpression(d) || ts.isMethodDeclaration(d))) return false;
  return !!d.asteriskToken && (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Async) !== 0;
}

/**
 * Whether `call` calls an async generator function: by the checker, the declaration its signature
 * resolves to; without types, a function of this file declared so and called by its name.
 */
export function callsAsyncGenerator(s: TypeServices | undefined, names: ReadonlySet<string>, call: TSESTree.CallExpression): boolean {
  if (s) {
    const t = s.tsNodeFor(call);
    if (t && ts.isCallExpression(t)) {
      const declaration = s.checker.getResolvedSignature(t)?.declaration;
      if (declaration && !ts.isJSDocSignature(declaration)) return isAsyncGeneratorDeclaration(declaration);
    }
  }
  return call.callee.type === 'Identifier' && names.has(call.callee.name) && !shadowedAt(call, call.callee.name);
}

/** The call an expression is, through `as`, `satisfies` and `!`. */
export function innerCall(node: Node): TSESTree.CallExpression | undefined {
  let n: Node = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n.type === 'CallExpression' ? n : undefined;
}

