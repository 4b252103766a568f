/**
 * commander's `program.parse()` with async action handlers or hooks (floating-promise): `parse()` calls
 * the action and drops the promise it returns, so the code after `parse()` runs before the action
 * is done and a rejection of the action goes unhandled. `parseAsync()` is the promise to wait for.
 *
 * The actions looked at are those of the file (`program.command('x').action(async ...)`) and,
 * with types, those of the functions the program is handed to (`registerBuild(program)`,
 * `program.addCommand(makeBuild())`), one call deep: a command line's usual layout.
 *
 * Also yargs' `parse()`/`argv`, typed `Arguments | Promise<Arguments>`: a promise only when a
 * command handler or middleware is async (`yargsParseWithoutAsyncHandlers`).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { TsRuleContext } from '../context';
import { memberName } from '../imports';
import { isThenable, type TypeServices } from '../project';
import { isFunction, localAsyncFunctions, visit } from '../util';

type Node = TSESTree.Node;

const COMMANDER = /^(commander|@commander-js\/extra-typings)$/;

export interface SyncParse {
  /** The `x.parse(...)` call. */
  call: TSESTree.CallExpression;
  /** Where an async action is registered: the file's path (undefined for this file) and the line. */
  action: { file?: string; line: number; what: 'action handler' | 'hook' };
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n;
}

function methodCall(node: Node, name: string): node is TSESTree.CallExpression & { callee: TSESTree.MemberExpression } {
  return node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier' && node.callee.property.name === name;
}

/** The base of a member/call chain: `program` in `program.command('x').action(fn).parse()`. */
function chainRoot(node: Node): Node {
  let n = unwrap(node);
  for (;;) {
    if (n.type === 'CallExpression') n = unwrap(n.callee);
    else if (n.type === 'MemberExpression') n = unwrap(n.object);
    else return n;
  }
}

/** The initialiser of the first `const`/`let` of that name in the file. */
function initOf(ctx: TsRuleContext, name: string): Node | undefined {
  let init: Node | undefined;
  visit(ctx.ast, (n) => {
    if (!init && n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && n.init) init = unwrap(n.init);
  });
  return init;
}

/** commander's `Command` class or its `program` / `createCommand()` (the module's default instance and factory). */
function madeByCommander(ctx: TsRuleContext, node: Node, depth = 0): boolean {
  const n = unwrap(node);
  if (depth > 8) return false;
  if (n.type === 'NewExpression' || n.type === 'CallExpression') {
    const m = ctx.imports.resolve(n.callee);
    return !!m && COMMANDER.test(m.module) && (n.type === 'NewExpression' ? memberName(m) === 'Command' : memberName(m) === 'createCommand');
  }
  if (n.type !== 'Identifier') return false;
  const m = ctx.imports.resolve(n);
  if (m) return COMMANDER.test(m.module) && memberName(m) === 'program';
  const init = initOf(ctx, n.name);
  return !!init && init !== n && init.type !== 'Identifier' && madeByCommander(ctx, chainRoot(init), depth + 1);
}

/** Whether a type is commander's `Command` (declared in its package, or in a `declare module 'commander'`). */
function isCommandType(checker: ts.TypeChecker, type: ts.Type): boolean {
  const symbol = type.getSymbol();
  if (symbol?.getName() !== 'Command') return false;
  if (/^"(commander|@commander-js\/extra-typings)"\./.test(checker.getFullyQualifiedName(symbol))) return true;
  return (symbol.declarations ?? []).some((d) => /[\\/](commander|@commander-js[\\/]extra-typings)[\\/]/.test(d.getSourceFile().fileName));
}

/** Whether `receiver` is a commander `Command`: by its type, else by the chain's root. */
function isCommand(ctx: TsRuleContext, s: TypeServices | undefined, receiver: Node): boolean {
  const t = s?.tsNodeFor(receiver);
  if (s && t) {
    const type = s.checker.getTypeAtLocation(t);
    if (!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return isCommandType(s.checker, type);
  }
  return madeByCommander(ctx, chainRoot(receiver));
}

function returnsThenable(checker: ts.TypeChecker, node: ts.Node): boolean {
  const type = checker.getTypeAtLocation(node);
  return type.getCallSignatures().some((sig) => isThenable(checker, sig.getReturnType(), node));
}

/** An action handler that returns a promise: an async function, or one typed so. */
function asyncHandler(s: TypeServices | undefined, arg: Node | undefined, asyncNames: Set<string>): boolean {
  if (!arg) return false;
  const a = unwrap(arg);
  if (isFunction(a) && a.async) return true;
  const t = s?.tsNodeFor(a);
  if (s && t) return returnsThenable(s.checker, t);
  return a.type === 'Identifier' && asyncNames.has(a.name);
}

/** In another file's function body: an `.action(fn)` on a commander `Command` whose `fn` returns a promise. */
function asyncActionIn(checker: ts.TypeChecker, body: ts.Node): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const walk = (n: ts.Node): void => {
    if (found) return;
    const method = ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : undefined;
    // `.action(fn)`, `.hook('preAction', fn)`.
    const arg = ts.isCallExpression(n) ? (method === 'action' ? n.arguments[0] : method === 'hook' ? n.arguments[1] : undefined) : undefined;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && arg) {
      const isAsync = (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && !!(ts.getCombinedModifierFlags(arg) & ts.ModifierFlags.Async);
      if ((isAsync || returnsThenable(checker, arg)) && isCommandType(checker, checker.getTypeAtLocation(n.expression.expression))) {
        found = n;
        return;
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(body);
  return found;
}

/** The body of the function a call's callee names, declared in another file of the program. */
function calleeBody(checker: ts.TypeChecker, callee: ts.Node, here: ts.SourceFile): ts.Node | undefined {
  let symbol = checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl || decl.getSourceFile() === here || decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return decl.body;
  if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) return decl.initializer.body;
  return undefined;
}

/** Every `x.parse(...)` statement of the file on a commander program with an async action. */
export function syncParsesOfAsyncActions(ctx: TsRuleContext, types: () => TypeServices | undefined): SyncParse[] {
  if (!/\bcommander\b/.test(ctx.text) || !/\.parse\s*\(/.test(ctx.text)) return [];
  const parses: (TSESTree.CallExpression & { callee: TSESTree.MemberExpression })[] = [];
  visit(ctx.ast, (n) => {
    if (n.type !== 'ExpressionStatement') return;
    const e = unwrap(n.expression);
    if (methodCall(e, 'parse')) parses.push(e);
  });
  if (parses.length === 0) return [];
  const s = types();
  const programs = parses.filter((p) => isCommand(ctx, s, p.callee.object));
  if (programs.length === 0) return [];
  const asyncNames = localAsyncFunctions(ctx.ast);

  // The file's own async actions (the command tree of a command line usually lives in one file).
  const locals: TSESTree.CallExpression[] = [];
  visit(ctx.ast, (n) => {
    if (((methodCall(n, 'action') && asyncHandler(s, n.arguments[0], asyncNames)) || (methodCall(n, 'hook') && asyncHandler(s, n.arguments[1], asyncNames))) && isCommand(ctx, s, n.callee.object)) locals.push(n);
  });

  // The program each chain belongs to: `build` in `const build = program.command('build')` is `program`'s.
  const owners = new Map<Node, string | undefined>();
  const ownerOf = (node: Node): string | undefined => {
    if (owners.has(node)) return owners.get(node);
    let r = chainRoot(node);
    const seen = new Set<string>();
    while (r.type === 'Identifier' && !seen.has(r.name)) {
      seen.add(r.name);
      const init = initOf(ctx, r.name);
      const next = init && chainRoot(init);
      if (!next || next.type !== 'Identifier' || init === next) break;
      r = next;
    }
    const owner = r.type === 'Identifier' ? r.name : undefined;
    owners.set(node, owner);
    return owner;
  };
  // The programs the file makes or parses: an action on another of them is not this program's.
  const known = new Set<string>();
  for (const call of programs) {
    const o = ownerOf(call);
    if (o) known.add(o);
  }
  visit(ctx.ast, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && madeByCommander(ctx, unwrap(n.init))) known.add(n.id.name);
  });

  const out: SyncParse[] = [];
  for (const call of programs) {
    const owner = ownerOf(call);
    // An action on this program, or on one the file cannot tell (a parameter of a helper); the
    // message names one of this program's where there is one.
    const mine = locals.filter((a) => {
      const o = ownerOf(a);
      return o === undefined || o === owner || !known.has(o);
    });
    const local = mine.find((a) => ownerOf(a) === owner) ?? mine[0];
    if (local) {
      const property = (local.callee as TSESTree.MemberExpression).property as TSESTree.Identifier;
      out.push({ call, action: { line: property.loc.start.line, what: property.name === 'hook' ? 'hook' : 'action handler' } });
      continue;
    }
    if (!s) continue;
    // The functions the program is handed to: `registerBuild(program)`, `program.addCommand(makeBuild())`.
    const root = chainRoot(call.callee.object);
    let remote: SyncParse['action'] | undefined;
    visit(ctx.ast, (n) => {
      if (remote || n.type !== 'CallExpression') return;
      const handed = root.type === 'Identifier' && n.arguments.some((a) => a.type === 'Identifier' && a.name === root.name);
      const added = methodCall(n, 'addCommand') ? n.arguments[0] : undefined;
      const target = handed ? n.callee : added && unwrap(added).type === 'CallExpression' ? (unwrap(added) as TSESTree.CallExpression).callee : undefined;
      const tsCallee = target && s.tsNodeFor(target);
      if (!tsCallee) return;
      const body = calleeBody(s.checker, ts.isPropertyAccessExpression(tsCallee) ? tsCallee.name : tsCallee, s.sourceFile);
      const found = body && asyncActionIn(s.checker, body);
      if (found) {
        const sf = found.getSourceFile();
        const name = (found.expression as ts.PropertyAccessExpression).name;
        remote = { file: sf.fileName, line: sf.getLineAndCharacterOfPosition(name.getStart(sf)).line + 1, what: name.text === 'hook' ? 'hook' : 'action handler' };
      }
    });
    if (remote) out.push({ call, action: remote });
  }
  return out;
}

/** Whether a type is yargs' `Argv` (its own typings or @types/yargs). */
function isYargsArgv(checker: ts.TypeChecker, type: ts.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (symbol?.getName() !== 'Argv') return false;
  if (/^"?yargs"?\.Argv$|(^|\.)yargs\.Argv$/.test(checker.getFullyQualifiedName(symbol))) return true;
  return (symbol.declarations ?? []).some((d) => /[\\/](@types[\\/]yargs|yargs)[\\/]/.test(d.getSourceFile().fileName));
}

/**
 * yargs' `parse()` is typed `Arguments | Promise<Arguments>`: it gives a promise only when a command
 * handler or a middleware is async. A `parse()` statement on a yargs parser is not a dropped
 * promise when no `.command(...)`/`.middleware(...)` of the file takes an async function (nor a
 * command module whose `handler` returns a promise), and the file loads no command directory.
 */
export function yargsParseWithoutAsyncHandlers(ctx: TsRuleContext, s: TypeServices | undefined, floating: Node): boolean {
  const e = unwrap(floating);
  // `cli.parse()`, or the `cli.argv` getter, which parses too.
  const object = methodCall(e, 'parse')
    ? e.callee.object
    : e.type === 'MemberExpression' && !e.computed && e.property.type === 'Identifier' && e.property.name === 'argv'
      ? e.object
      : undefined;
  if (!s || !object) return false;
  const receiver = s.tsNodeFor(object);
  if (!receiver || !isYargsArgv(s.checker, s.checker.getTypeAtLocation(receiver))) return false;
  let async = false;
  visit(ctx.ast, (n) => {
    if (async || n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.computed || n.callee.property.type !== 'Identifier') return;
    const method = n.callee.property.name;
    if (method === 'commandDir') {
      async = true;
      return;
    }
    if (method !== 'command' && method !== 'middleware') return;
    for (const arg of n.arguments) {
      const a = unwrap(arg);
      if (isFunction(a)) {
        if (a.async || returnsThenableAt(s, a)) async = true;
        continue;
      }
      const t = s.tsNodeFor(a);
      if (!t) continue;
      const type = s.checker.getTypeAtLocation(t);
      // A command module (`{ command, describe, builder, handler }`) or an array of them.
      for (const part of [type, type.getNumberIndexType()].filter((x): x is ts.Type => !!x)) {
        const handler = part.getProperty('handler');
        if (handler && s.checker.getTypeOfSymbolAtLocation(handler, t).getCallSignatures().some((sig) => isThenable(s.checker, sig.getReturnType(), t))) async = true;
      }
      if (type.getCallSignatures().some((sig) => isThenable(s.checker, sig.getReturnType(), t))) async = true;
    }
  });
  return !async;
}

function returnsThenableAt(s: TypeServices, fn: Node): boolean {
  const t = s.tsNodeFor(fn);
  return !!t && returnsThenable(s.checker, t);
}
