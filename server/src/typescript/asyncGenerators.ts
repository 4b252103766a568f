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

/** The names an async generator declaration is called by: its own, and the variable or property it is stored in. */
function namesOf(d: ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration): string[] {
  const names: string[] = [];
  const own = d.name;
  if (own && (ts.isIdentifier(own) || ts.isPrivateIdentifier(own) || ts.isStringLiteral(own) || ts.isNumericLiteral(own))) names.push(own.text);
  let holder: ts.Node = d.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder)) holder = holder.parent;
  const target = ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)
    ? holder.name
    : ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken
      ? ts.isPropertyAccessExpression(holder.left) ? holder.left.name : holder.left
      : undefined;
  if (target && (ts.isIdentifier(target) || ts.isPrivateIdentifier(target) || ts.isStringLiteral(target))) names.push(target.text);
  return names;
}

/** An async generator needs `async` then `*` (`async function* f`, `async *items()`). */
const MAY_DECLARE_ASYNC_GENERATOR = /\basync\s+(?:function\s*)?\*/;

const declaredInFile = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
const declaredInProgram = new WeakMap<ts.Program, ReadonlySet<string>>();

/** Names of the async generator functions and methods a source file declares (kept per version of the file). */
function asyncGeneratorNamesIn(file: ts.SourceFile): ReadonlySet<string> {
  let names = declaredInFile.get(file);
  if (!names) {
    const found = new Set<string>();
    if (MAY_DECLARE_ASYNC_GENERATOR.test(file.text)) {
      const walk = (n: ts.Node): void => {
        if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) && isAsyncGeneratorDeclaration(n)) {
          for (const name of namesOf(n)) found.add(name);
        }
        ts.forEachChild(n, walk);
      };
      walk(file);
    }
    names = found;
    declaredInFile.set(file, names);
  }
  return names;
}

/** Names of the async generators declared in the program's source files (declaration files declare none). */
function asyncGeneratorNames(program: ts.Program): ReadonlySet<string> {
  let names = declaredInProgram.get(program);
  if (!names) {
    const all = new Set<string>();
    for (const file of program.getSourceFiles()) {
      if (!file.isDeclarationFile) for (const name of asyncGeneratorNamesIn(file)) all.add(name);
    }
    names = all;
    declaredInProgram.set(program, names);
  }
  return names;
}

/** The name a call's callee calls by (`pages`, `repo.pages`, `repo['pages']`), if it has one. */
function calleeName(callee: ts.Expression): string | undefined {
  let e = callee;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = e.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/**
 * Whether `call` calls an async generator function: by the checker, the declaration its signature
 * resolves to; without types, a function of this file declared so and called by its name.
 */
export function callsAsyncGenerator(s: TypeServices | undefined, names: ReadonlySet<string>, call: TSESTree.CallExpression): boolean {
  if (s) {
    const t = s.tsNodeFor(call);
    if (t && ts.isCallExpression(t)) {
      // Resolving a call's signature checks its arguments: first, whether any async generator of
      // the program bears the name it calls by (most awaited calls are of other functions).
      const name = calleeName(t.expression);
      if (name !== undefined && !asyncGeneratorNames(s.program).has(name)) return false;
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

