/**
 * Missing cancellation clean-up in TS/JS:
 * - abort-signal-ignored: a function receives an AbortSignal (directly or in an options bag) and
 *   never reads, checks nor forwards it, while it makes calls that could have been cancelled;
 * - timer-or-listener-leak: intervals and listeners set up per call of an async function (or on
 *   every turn of a loop) that nothing ever clears or removes;
 * - swallowed-abort: a catch-all handler around signal-aware work that turns an abort into a
 *   normal return;
 * - fetch-without-timeout (opt-in): a server-side `fetch` with no `signal`.
 *
 * Signals, listeners and timers are recognised syntactically, resolved through imports; the
 * TypeScript checker, when available, also recognises signal-carrying parameter types declared
 * elsewhere and calls of any function whose signature accepts a signal.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as path from 'path';
import * as ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { memberName } from '../imports';
import { inMobileAppPackage, MOBILE_APP_MODULES } from '../mobileApis';
import { longLivedAutomationParam } from '../browserAutomationApis';
import { shownText } from './promiseVariables';
import type { TypeServices } from '../project';
import { extensionEventCall, extensionPath } from '../webExtensions';
import { enclosingClass, enclosingFunction, finallyTry, functionDisplayName, isFunction, isLoop, isProcessExitCall, isTestPath, jumpTarget, patternNames, platformHandler, visit, type FunctionNode } from '../util';

type Node = TSESTree.Node;

// ---------------------------------------------------------------------------------------------
// Shared helpers

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression' || n.type === 'TSTypeAssertion') n = n.expression;
  return n;
}

/** The parent, skipping type assertions and `!` around `node`. */
function outerParent(node: Node): { node: Node; parent: Node | undefined } {
  let n = node;
  while (n.parent && (n.parent.type === 'TSAsExpression' || n.parent.type === 'TSNonNullExpression' || n.parent.type === 'TSSatisfiesExpression' || n.parent.type === 'TSTypeAssertion' || n.parent.type === 'ChainExpression')) n = n.parent;
  return { node: n, parent: n.parent };
}

function propName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  return undefined;
}

function keyName(prop: { key: Node; computed: boolean }): string | undefined {
  if (!prop.computed && prop.key.type === 'Identifier') return prop.key.name;
  if (prop.key.type === 'Literal' && typeof prop.key.value === 'string') return prop.key.value;
  return undefined;
}

/** The method name of a call `x.name(...)`, if any. */
function methodName(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  return callee.type === 'MemberExpression' ? propName(callee) : undefined;
}

function stringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Whether an identifier occurrence reads a variable (rather than naming a property, type, label or declaration). */
function isReference(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case 'MemberExpression':
      return p.object === id || p.computed;
    case 'Property':
      return p.value === id || (p.computed && p.key === id);
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'AccessorProperty':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
    case 'TSAbstractMethodDefinition':
    case 'TSAbstractPropertyDefinition':
      return p.computed && p.key === id;
    case 'VariableDeclarator':
      return p.init === id;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return false;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'TSTypeReference':
    case 'TSQualifiedName':
    case 'TSTypeQuery':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
    case 'ClassDeclaration':
    case 'ClassExpression':
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSEnumMember':
    case 'CatchClause':
    case 'RestElement':
    case 'TSParameterProperty':
      return false;
    case 'AssignmentPattern':
      return p.right === id;
    default:
      return true;
  }
}

/** Identifiers that read a variable, anywhere under `root`. */
function referencesIn(root: Node): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  visit(root, (n) => {
    if (n.type === 'Identifier' && isReference(n)) out.push(n);
  });
  return out;
}

/** Identifiers named `name` that read a variable, anywhere under `root`. */
function referencesTo(root: Node, name: string): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  visit(root, (n) => {
    if (n.type === 'Identifier' && n.name === name && isReference(n)) out.push(n);
  });
  return out;
}

function isTsFile(filePath: string): boolean {
  return /\.[cm]?tsx?$/i.test(filePath);
}

function isDeclarationFile(filePath: string): boolean {
  return /\.d\.[cm]?ts$/i.test(filePath) || /\.d\.[^.]+\.ts$/i.test(filePath);
}

/** The innermost function around `node`, or undefined at module level. */
function ownerFunction(node: Node): FunctionNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

const moduleNames = new WeakMap<TSESTree.Program, Set<string>>();
const functionNames = new WeakMap<FunctionNode, Set<string>>();

/**
 * Whether an identifier refers to a global: nothing of that name is declared at module level or
 * in an enclosing function (nested declarations count too: erring towards "shadowed" is silent).
 */
function isGlobal(ctx: TsRuleContext, id: TSESTree.Identifier): boolean {
  let top = moduleNames.get(ctx.ast);
  if (!top) {
    top = new Set<string>();
    const names = top;
    const skip = (n: Node) => {
      // Function declarations name a module binding; their bodies are not module level.
      if (n.type === 'FunctionDeclaration' && n.id) names.add(n.id.name);
      return isFunction(n);
    };
    visit(ctx.ast, (n) => {
      if (n.type === 'VariableDeclarator') for (const name of patternNames(n.id)) names.add(name);
      else if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration' || n.type === 'TSImportEqualsDeclaration' || n.type === 'TSEnumDeclaration' || n.type === 'TSModuleDeclaration') && n.id?.type === 'Identifier') names.add(n.id.name);
      else if (n.type === 'ImportDeclaration') for (const sp of n.specifiers) names.add(sp.local.name);
      else if (n.type === 'CatchClause' && n.param) for (const name of patternNames(n.param)) names.add(name);
    }, skip);
    moduleNames.set(ctx.ast, top);
  }
  if (top.has(id.name)) return false;
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    let names = functionNames.get(n);
    if (!names) functionNames.set(n, (names = declaredNames(n)));
    if (names.has(id.name)) return false;
  }
  return true;
}

/** Lazily created type services, shared by the checks of one file. */
class LazyTypes {
  private services: TypeServices | undefined | null = null;
  constructor(private readonly ctx: TsRuleContext) {}
  get(): TypeServices | undefined {
    if (this.services === null) {
      try {
        this.services = this.ctx.types();
      } catch {
        this.services = undefined;
      }
    }
    return this.services;
  }
}

// ---------------------------------------------------------------------------------------------
// AbortSignal parameters

interface SignalParam {
  fn: FunctionNode;
  /** What a finding points at: the parameter, or the `signal` property of a destructuring pattern. */
  node: Node;
  /** `signal`: the binding is the signal itself; `options`: an object that carries it in `.signal` (or `.abortSignal`). */
  kind: 'signal' | 'options';
  /** For `options`: the key that holds the signal (`signal`, or AWS SDK v3's `abortSignal`). */
  key?: string;
  /** The local binding. */
  name: string;
  /** The value may be undefined (optional parameter, default value, untyped JavaScript). */
  optional: boolean;
}

/** Members of interfaces and object type aliases declared in the file, by name (for the syntax fallback). */
type LocalTypes = Map<string, TSESTree.TypeElement[]>;

function localTypes(ast: TSESTree.Program): LocalTypes {
  const out: LocalTypes = new Map();
  visit(ast, (n) => {
    if (n.type === 'TSInterfaceDeclaration') out.set(n.id.name, [...(out.get(n.id.name) ?? []), ...n.body.body]);
    else if (n.type === 'TSTypeAliasDeclaration' && n.typeAnnotation.type === 'TSTypeLiteral') out.set(n.id.name, n.typeAnnotation.members);
  });
  return out;
}

function typeRefName(t: TSESTree.TypeNode): string | undefined {
  if (t.type !== 'TSTypeReference') return undefined;
  if (t.typeName.type === 'Identifier') return t.typeName.name;
  if (t.typeName.type === 'TSQualifiedName' && t.typeName.right.type === 'Identifier') return t.typeName.right.name;
  return undefined;
}

function isNullishType(t: TSESTree.TypeNode): boolean {
  return t.type === 'TSUndefinedKeyword' || t.type === 'TSNullKeyword' || t.type === 'TSVoidKeyword';
}

/** `AbortSignal`, `AbortSignal | undefined`, `AbortSignal | null`. */
function isAbortSignalTypeNode(t: TSESTree.TypeNode): boolean {
  if (typeRefName(t) === 'AbortSignal') return true;
  if (t.type === 'TSUnionType') {
    const rest = t.types.filter((m) => !isNullishType(m));
    return rest.length > 0 && rest.every((m) => typeRefName(m) === 'AbortSignal');
  }
  return false;
}

function nullableTypeNode(t: TSESTree.TypeNode): boolean {
  return t.type === 'TSUnionType' && t.types.some(isNullishType);
}

/** Option keys that carry a cancellation signal: `signal`, AWS SDK v3's `abortSignal`, execa's `cancelSignal`. */
const SIGNAL_KEYS = new Set(['signal', 'abortSignal', 'cancelSignal']);

/** The key of the AbortSignal member of an options type (syntax only), if any. */
function signalMemberKey(t: TSESTree.TypeNode, locals: LocalTypes, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const members = (list: TSESTree.TypeElement[]) => {
    for (const m of list) {
      if (m.type !== 'TSPropertySignature' || !m.typeAnnotation || !isAbortSignalTypeNode(m.typeAnnotation.typeAnnotation)) continue;
      const key = keyName(m);
      if (key && SIGNAL_KEYS.has(key)) return key;
    }
    return undefined;
  };
  switch (t.type) {
    case 'TSTypeLiteral':
      return members(t.members);
    case 'TSUnionType':
    case 'TSIntersectionType':
      for (const m of t.types) {
        const key = signalMemberKey(m, locals, depth + 1);
        if (key) return key;
      }
      return undefined;
    case 'TSTypeReference': {
      const name = typeRefName(t);
      if (name === 'RequestInit') return 'signal';
      const local = name ? locals.get(name) : undefined;
      return local ? members(local) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Types that carry a `signal` without being an options bag the function should honour: a web
 * `Request`, and Node's `IncomingMessage` (which has one since @types/node 26.1).
 */
const NOT_OPTIONS = new Set(['AbortController', 'Request', 'NextRequest', 'FetchEvent', 'ExtendableEvent', 'Event', 'IncomingMessage', 'Http2ServerRequest']);

function nonNullishParts(type: ts.Type): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
}

function typeIsAbortSignal(type: ts.Type): boolean {
  const parts = nonNullishParts(type);
  return parts.length > 0 && parts.every((t) => t.getSymbol()?.getName() === 'AbortSignal');
}

/** Signal types a callee may be given: the standard one, and axios's own `GenericAbortSignal` (what its config types `signal` as). */
const ACCEPTED_SIGNALS = new Set(['AbortSignal', 'GenericAbortSignal']);

/**
 * Whether a callee's parameter or option type admits an AbortSignal, alone or in a union: undici
 * types `signal` as `AbortSignal | EventEmitter | null`. (A signal the function itself receives
 * must be an AbortSignal: `typeIsAbortSignal`.)
 */
function typeAcceptsSignal(type: ts.Type): boolean {
  return nonNullishParts(type).some((t) => ACCEPTED_SIGNALS.has(t.getSymbol()?.getName() ?? '') || signalLike(t));
}

/**
 * A library's own structural type for the signals it takes, which an AbortSignal satisfies: piscina's
 * `AbortSignalEventTarget` (`aborted?`, `addEventListener('abort', ...)`), `AbortSignalLike` types.
 */
function signalLike(t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object)) return false;
  const name = t.getSymbol()?.getName() ?? t.aliasSymbol?.getName() ?? '';
  return /AbortSignal/.test(name) && !!t.getProperty('aborted') && !!t.getProperty('addEventListener');
}

/**
 * A property declared with a type that names a signal (`signal?: AbortSignal | EventEmitter | null`),
 * whatever that resolves to: undici's types alias `AbortSignal` to `unknown`.
 */
function declaredAsSignal(prop: ts.Symbol): boolean {
  return (prop.declarations ?? []).some((d) => {
    const t = ts.isPropertySignature(d) || ts.isPropertyDeclaration(d) ? d.type : undefined;
    if (!t) return false;
    return (ts.isUnionTypeNode(t) ? t.types : [t]).some((m) => ts.isTypeReferenceNode(m) && ACCEPTED_SIGNALS.has(ts.isIdentifier(m.typeName) ? m.typeName.text : m.typeName.right.text));
  });
}

/**
 * The key of the AbortSignal property of an options type (`signal`, `abortSignal`), if any. With
 * `accepts`, of a callee's options: a property that admits a signal among other things counts.
 */
function typeSignalKey(checker: ts.TypeChecker, type: ts.Type, at: ts.Node, accepts = false): string | undefined {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  for (const part of nonNullishParts(type)) {
    if (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
    const name = part.getSymbol()?.getName() ?? part.aliasSymbol?.getName();
    if (name && NOT_OPTIONS.has(name)) continue;
    for (const key of SIGNAL_KEYS) {
      const prop = part.getProperty(key);
      if (!prop) continue;
      const t = checker.getTypeOfSymbolAtLocation(prop, at);
      const erased = !!(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
      if (accepts ? typeAcceptsSignal(t) || (erased && declaredAsSignal(prop)) : typeIsAbortSignal(t)) return key;
    }
  }
  return undefined;
}

function typeIsNullable(type: ts.Type): boolean {
  return type.isUnion() && type.types.some((t) => !!(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
}

/** The AbortSignal parameters of a function with a body. */
function signalParams(fn: FunctionNode, ctx: TsRuleContext, locals: LocalTypes, types: LazyTypes): SignalParam[] {
  const out: SignalParam[] = [];
  const js = !isTsFile(ctx.filePath);
  for (const raw of fn.params) {
    let p: Node = raw;
    let optional = false;
    // `constructor(private signal: AbortSignal)` keeps the signal for the other methods.
    if (p.type === 'TSParameterProperty') continue;
    if (p.type === 'AssignmentPattern') {
      // `signal = 'SIGTERM'`: an OS signal name, not an AbortSignal.
      if (p.right.type === 'Literal' || p.right.type === 'TemplateLiteral') continue;
      optional = true;
      p = p.left;
    }
    if (p.type === 'Identifier') {
      if (p.name.startsWith('_')) continue;
      optional ||= !!p.optional;
      const annotation = p.typeAnnotation?.typeAnnotation;
      if (annotation) {
        if (isAbortSignalTypeNode(annotation)) {
          out.push({ fn, node: raw, kind: 'signal', name: p.name, optional: optional || nullableTypeNode(annotation) });
          continue;
        }
        const key = signalMemberKey(annotation, locals);
        if (key) {
          out.push({ fn, node: raw, kind: 'options', key, name: p.name, optional: optional || nullableTypeNode(annotation) });
          continue;
        }
      }
      // Types declared elsewhere (imported interfaces, contextually typed callbacks): ask the checker.
      if (!js && (annotation ? mayNameObjectType(annotation) : p.name === 'signal')) {
        const s = types.get();
        const tsNode = s?.tsNodeFor(p);
        if (s && tsNode) {
          const type = s.checker.getTypeAtLocation(tsNode);
          if (typeIsAbortSignal(type)) {
            out.push({ fn, node: raw, kind: 'signal', name: p.name, optional: optional || typeIsNullable(type) });
            continue;
          }
          const key = annotation ? typeSignalKey(s.checker, type, tsNode) : undefined;
          if (key) {
            out.push({ fn, node: raw, kind: 'options', key, name: p.name, optional: optional || typeIsNullable(type) });
            continue;
          }
          if (!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) continue;
        }
      }
      // Untyped: by name, unless it is an event handler's argument (`process.on('SIGTERM', (signal) => ...)`).
      if (!annotation && p.name === 'signal' && !isEventHandler(fn)) out.push({ fn, node: raw, kind: 'signal', name: p.name, optional: true });
      continue;
    }
    if (p.type === 'ObjectPattern') {
      for (const prop of p.properties) {
        if (prop.type !== 'Property' || !SIGNAL_KEYS.has(keyName(prop) ?? '')) continue;
        let value: Node = prop.value;
        if (value.type === 'AssignmentPattern') value = value.left;
        if (value.type !== 'Identifier' || value.name.startsWith('_')) continue;
        out.push({ fn, node: prop, kind: 'signal', name: value.name, optional: true });
      }
    }
  }
  return out;
}

/**
 * An options parameter destructured without its signal (`{ limit }: ListOptions` where
 * `ListOptions` has `signal?: AbortSignal`), and without a rest element that could keep it:
 * the signal's key, or undefined.
 */
function droppedSignal(fn: FunctionNode, ctx: TsRuleContext, locals: LocalTypes, types: LazyTypes): string | undefined {
  if (!isTsFile(ctx.filePath)) return undefined;
  for (const raw of fn.params) {
    const p = raw.type === 'AssignmentPattern' ? raw.left : raw;
    if (p.type !== 'ObjectPattern' || !p.typeAnnotation) continue;
    if (p.properties.some((prop) => prop.type === 'RestElement' || SIGNAL_KEYS.has(keyName(prop) ?? ''))) continue;
    const annotation = p.typeAnnotation.typeAnnotation;
    const local = signalMemberKey(annotation, locals);
    if (local) return local;
    if (!mayNameObjectType(annotation)) continue;
    const s = types.get();
    const tsNode = s?.tsNodeFor(p);
    if (!s || !tsNode) continue;
    const key = typeSignalKey(s.checker, s.checker.getTypeAtLocation(tsNode), tsNode);
    if (key) return key;
  }
  return undefined;
}

/** Type annotations that may name an object type (not keywords, literals, arrays or functions). */
function mayNameObjectType(t: TSESTree.TypeNode): boolean {
  switch (t.type) {
    case 'TSTypeReference':
    case 'TSTypeQuery':
    case 'TSIndexedAccessType':
    case 'TSImportType':
      return true;
    case 'TSUnionType':
    case 'TSIntersectionType':
      return t.types.some(mayNameObjectType);
    default:
      return false;
  }
}

function isEventHandler(fn: FunctionNode): boolean {
  const { node, parent } = outerParent(fn);
  if (parent?.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) return isListenerCall(parent);
  // `async function shutdown(signal)` handed by name to `process.once('SIGTERM', shutdown)`.
  const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier' ? fn.parent.id.name : undefined;
  if (!name) return false;
  let program: Node = fn;
  while (program.parent) program = program.parent;
  return referencesTo(program, name).some((r) => r.parent?.type === 'CallExpression' && r.parent.arguments.includes(r as TSESTree.CallExpressionArgument) && isListenerCall(r.parent));
}

function isListenerCall(call: TSESTree.CallExpression): boolean {
  const m = methodName(call);
  return !!m && /^(on|once|addListener|prependListener|prependOnceListener|addEventListener)$/.test(m);
}

/** Whether the body reads, checks or forwards the signal of `param`. */
/**
 * `reader.readAll()`, where `reader` carries the signal: a method (declared as one, in a class or
 * an interface) of the object that holds the signal does the work, and reads the signal itself. A
 * stream reader or a job is no options bag. (A function-valued member of an options bag,
 * `options.onProgress()`, is not such a method.)
 */
function workedBySignalOwner(param: SignalParam, body: Node, types: LazyTypes): boolean {
  if (param.kind !== 'options') return false;
  for (const ref of referencesTo(body, param.name)) {
    const { node, parent } = outerParent(ref);
    if (parent?.type !== 'MemberExpression' || parent.object !== node || parent.computed) continue;
    const call = parent.parent;
    if (call?.type !== 'CallExpression' || unwrap(call.callee) !== parent) continue;
    const s = types.get();
    const tsNode = s?.tsNodeFor(parent.property);
    const symbol = s && tsNode ? s.checker.getSymbolAtLocation(tsNode) : undefined;
    if (symbol && symbol.flags & ts.SymbolFlags.Method) return true;
  }
  return false;
}

function signalUsed(param: SignalParam, body: Node): boolean {
  if (referencesTo(body, 'arguments').length > 0) return true;
  // Other parameters' defaults may pass it on too (`opts = { signal }`).
  const declaring = param.fn.params.find((p) => p.range[0] <= param.node.range[0] && param.node.range[1] <= p.range[1]);
  const roots = [body, ...param.fn.params.filter((p) => p !== declaring)];
  const refs = roots.flatMap((r) => referencesTo(r, param.name));
  for (const ref of refs) {
    if (param.kind === 'signal') return true;
    // An options object: `opts.signal`, passing `opts` on, spreading it, `const { signal } = opts`.
    const { node, parent } = outerParent(ref);
    if (parent?.type === 'MemberExpression' && parent.object === node) {
      const key = propName(parent);
      if (key === undefined || SIGNAL_KEYS.has(key)) return true;
      continue;
    }
    if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'ObjectPattern') {
      for (const prop of parent.id.properties) {
        if (prop.type === 'RestElement') return true;
        if (keyName(prop) === undefined) return true;
        if (!SIGNAL_KEYS.has(keyName(prop) ?? '')) continue;
        let value: Node = prop.value;
        if (value.type === 'AssignmentPattern') value = value.left;
        if (value.type !== 'Identifier') return true;
        if (referencesTo(body, value.name).length > 0) return true;
      }
      continue;
    }
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Calls that accept a signal

const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch']);
const AXIOS_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** A readable name of a call that accepts an AbortSignal, per its module (syntax only). */
function knownCancellable(ctx: TsRuleContext, call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier' && callee.name === 'fetch' && isGlobal(ctx, callee)) return 'fetch()';
  if (callee.type === 'MemberExpression' && propName(callee) === 'fetch') {
    const obj = unwrap(callee.object);
    if (obj.type === 'Identifier' && (obj.name === 'globalThis' || obj.name === 'window' || obj.name === 'self') && isGlobal(ctx, obj)) return 'fetch()';
  }
  // `api.get(url)` on `const api = axios.create(...)`: axios with a base config, same options.
  if (callee.type === 'MemberExpression' && AXIOS_METHODS.has(propName(callee) ?? '') && axiosInstance(ctx, unwrap(callee.object))) return calleeText(ctx, call);
  const m = ctx.imports.resolve(callee);
  if (!m) return undefined;
  const path = m.path.join('.');
  const name = m.path[m.path.length - 1];
  switch (m.module) {
    case 'timers/promises':
      return name === 'setTimeout' || name === 'setInterval' || name === 'setImmediate' || path === 'scheduler.wait' ? `${name}() from timers/promises` : undefined;
    case 'timers':
      return path === 'promises.setTimeout' || path === 'promises.setInterval' || path === 'promises.setImmediate' ? `timers.${path}()` : undefined;
    case 'events':
      return path === 'once' || path === 'on' || path === 'EventEmitter.once' || path === 'EventEmitter.on' ? `events.${path}()` : undefined;
    case 'child_process':
      return ['spawn', 'exec', 'execFile', 'fork'].includes(path) ? `child_process.${path}()` : undefined;
    case 'stream':
      return path === 'pipeline' || path === 'finished' || path === 'promises.pipeline' || path === 'promises.finished' ? `stream.${path}()` : undefined;
    case 'stream/promises':
      return path === 'pipeline' || path === 'finished' ? `${path}() from stream/promises` : undefined;
    case 'fs':
      return ['readFile', 'writeFile', 'appendFile', 'watch', 'promises.readFile', 'promises.writeFile', 'promises.appendFile', 'promises.watch'].includes(path) ? `fs.${path}()` : undefined;
    case 'fs/promises':
      return ['readFile', 'writeFile', 'appendFile', 'watch'].includes(path) ? `${path}() from fs/promises` : undefined;
    case 'http':
    case 'https':
      return path === 'request' || path === 'get' ? `${m.module}.${path}()` : undefined;
    case 'axios':
      return path === '' || (m.path.length === 1 && AXIOS_METHODS.has(path)) ? (path ? `axios.${path}()` : 'axios()') : undefined;
    // The Agents SDK's `run(agent, input, { signal })`.
    case '@openai/agents':
    case '@openai/agents-core':
      return path === 'run' ? `run() from ${m.module}` : undefined;
    default:
      if (FETCH_MODULES.has(m.module) && (path === '' || path === 'fetch')) return 'fetch()';
      return undefined;
  }
}

const axiosInstances = new WeakMap<TSESTree.Program, Set<string>>();

/** A name declared once in the file, as `const x = axios.create(...)`. */
function axiosInstance(ctx: TsRuleContext, obj: Node): boolean {
  if (obj.type !== 'Identifier') return false;
  let names = axiosInstances.get(ctx.ast);
  if (!names) {
    const found = new Set<string>();
    if (ctx.text.includes('create')) {
      visit(ctx.ast, (n) => {
        if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || !n.init || n.parent?.type !== 'VariableDeclaration' || n.parent.kind !== 'const') return;
        const init = unwrap(n.init);
        if (init.type !== 'CallExpression') return;
        const m = ctx.imports.resolve(unwrap(init.callee));
        if (m?.module === 'axios' && memberName(m) === 'create') found.add(n.id.name);
      });
    }
    axiosInstances.set(ctx.ast, (names = found));
  }
  return names.has(obj.name) && ctx.imports.declarationCount(obj.name) === 1;
}

/**
 * Whether the checker says that some parameter of the called signature (a function's, or a
 * constructor's: `new Deno.Command(cmd, { signal })`) takes an AbortSignal or an options bag with one.
 */
function signatureAcceptsSignal(s: TypeServices, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const tsNode = s.tsNodeFor(call);
  if (!tsNode || !(ts.isCallExpression(tsNode) || ts.isNewExpression(tsNode))) return false;
  let sig: ts.Signature | undefined;
  try {
    sig = s.checker.getResolvedSignature(tsNode);
  } catch {
    return false;
  }
  if (!sig) return false;
  const signalKey = (type: ts.Type): string | undefined =>
    type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) ? undefined : typeAcceptsSignal(type) ? '' : (typeSignalKey(s.checker, type, tsNode, true) ?? nestedSignalKey(s.checker, type, tsNode));
  const accepts = (type: ts.Type) => signalKey(type) !== undefined;
  const target = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (
    sig.getParameters().some((param) => {
      const key = signalKey(s.checker.getTypeOfSymbolAtLocation(param, tsNode));
      return key !== undefined && !(target && ignoresSignal(s.checker, target, param, key));
    })
  )
    return true;
  // A generic options parameter (execa's `<OptionsType extends Options>(file, args?, options?: OptionsType)`)
  // is instantiated with the type of what the call passes: its constraint tells what it accepts.
  const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!decl?.typeParameters?.length) return false;
  const generic = s.checker.getSignatureFromDeclaration(decl);
  return (generic?.getParameters() ?? []).some((param) => {
    // `options?: NewOptionsType` is `NewOptionsType | undefined`.
    return nonNullishParts(s.checker.getTypeOfSymbolAtLocation(param, decl)).some((part) => {
      if (!(part.flags & ts.TypeFlags.TypeParameter)) return false;
      const constraint = s.checker.getBaseConstraintOfType(part);
      return !!constraint && accepts(constraint);
    });
  });
}

/**
 * A function of the program that takes an options bag only to read other members of it
 * (`requestAttributes(client, name, options)` reading `options.body`): passing the signal there
 * stops nothing, so the call is no cancellable work. `key` is the signal's member (`signal`,
 * `config.abortSignal`), or '' for a parameter that is the signal itself.
 */
function ignoresSignal(checker: ts.TypeChecker, fn: ts.SignatureDeclaration, param: ts.Symbol, key: string): boolean {
  const body = (fn as ts.FunctionLikeDeclarationBase).body;
  const declaration = param.valueDeclaration;
  if (!body || !declaration || !ts.isParameter(declaration) || declaration.parent !== fn || !ts.isIdentifier(declaration.name) || declaration.dotDotDotToken) return false;
  const own = checker.getSymbolAtLocation(declaration.name);
  const member = key.split('.')[0];
  let used = false;
  const walk = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === declaration.name.getText() && n !== declaration.name && checker.getSymbolAtLocation(n) === own) {
      const read = n.parent;
      // Only `options.body` or `options?.body`: any other use (passed on, spread, destructured) may carry the signal.
      used = !key || !ts.isPropertyAccessExpression(read) || read.expression !== n || read.name.text === member;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(body);
  return !used;
}

/**
 * An options bag whose signal sits one level down, in a nested options object: @google/genai's
 * `generateContent({ model, contents, config: { abortSignal } })`, Octokit's `{ request: { signal } }`.
 */
function nestedSignalKey(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string | undefined {
  for (const part of nonNullishParts(type)) {
    if (!(part.flags & ts.TypeFlags.Object) || part.getCallSignatures().length > 0) continue;
    const name = part.getSymbol()?.getName() ?? part.aliasSymbol?.getName();
    if (name && NOT_OPTIONS.has(name)) continue;
    for (const prop of part.getProperties()) {
      const key = typeSignalKey(checker, checker.getTypeOfSymbolAtLocation(prop, at), at, true);
      if (key) return `${prop.getName()}.${key}`;
    }
  }
  return undefined;
}

function calleeText(ctx: TsRuleContext, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const text = ctx.text.slice(call.callee.range[0], call.callee.range[1]).replace(/\s+/g, '');
  return `${call.type === 'NewExpression' ? 'new ' : ''}${text.length > 40 ? `${text.slice(0, 40)}…` : text}()`;
}

// ---------------------------------------------------------------------------------------------
// abort-signal-ignored

export function checkAbortSignalIgnored(ctx: TsRuleContext): void {
  if (isDeclarationFile(ctx.filePath)) return;
  const locals = localTypes(ctx.ast);
  const types = new LazyTypes(ctx);
  const withSignal = new Map<FunctionNode, SignalParam[]>();
  visit(ctx.ast, (node) => {
    if (!isFunction(node) || node.params.length === 0) return;
    const params = signalParams(node, ctx, locals, types);
    if (params.length > 0) withSignal.set(node, params);
  });
  // `async function list({ limit }: ListOptions)` where ListOptions carries a signal: left out.
  visit(ctx.ast, (node) => {
    if (!isFunction(node) || node.params.length === 0 || withSignal.has(node)) return;
    const dropped = droppedSignal(node, ctx, locals, types);
    if (!dropped) return;
    const call = firstCancellableCall(ctx, node, withSignal, types);
    if (!call) return;
    ctx.report({
      message: `The AbortSignal of this options parameter ('${dropped}') is left out of its destructuring, yet '${functionDisplayName(node)}' calls ${call}: aborting does not stop the work`,
      range: ctx.rangeOf(node.params.find((p) => (p.type === 'AssignmentPattern' ? p.left : p).type === 'ObjectPattern')!),
    });
  });
  for (const [fn, params] of withSignal) {
    const unused = params.filter((p) => !signalUsed(p, fn.body) && !workedBySignalOwner(p, fn.body, types));
    if (unused.length === 0) continue;
    const call = firstCancellableCall(ctx, fn, withSignal, types);
    if (!call) continue;
    for (const p of unused) {
      const what = p.kind === 'signal' ? `AbortSignal '${p.name}'` : `The AbortSignal in '${p.name}.${p.key ?? 'signal'}'`;
      ctx.report({
        message: `${what} is never checked nor passed on, yet '${functionDisplayName(fn)}' calls ${call}: aborting does not stop the work`,
        range: ctx.rangeOf(p.node),
      });
    }
  }
}

/** The function a name declared once in the file gives: `function f() {}`, `const f = async () => ...`. */
function fileFunction(ctx: TsRuleContext, name: string): FunctionNode | undefined {
  if (ctx.imports.declarationCount(name) !== 1) return undefined;
  let functions = fileFunctions.get(ctx.ast);
  if (!functions) {
    const found = new Map<string, FunctionNode>();
    visit(ctx.ast, (n) => {
      if (n.type === 'FunctionDeclaration' && n.id && !found.has(n.id.name)) found.set(n.id.name, n);
      else if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isFunction(unwrap(n.init)) && !found.has(n.id.name)) found.set(n.id.name, unwrap(n.init) as FunctionNode);
    });
    fileFunctions.set(ctx.ast, (functions = found));
  }
  return functions.get(name);
}

const fileFunctions = new WeakMap<TSESTree.Program, Map<string, FunctionNode>>();

/** The first call in the function (and its closures without signals of their own) that could take the signal. */
function firstCancellableCall(ctx: TsRuleContext, fn: FunctionNode, withSignal: Map<FunctionNode, SignalParam[]>, types: LazyTypes): string | undefined {
  const calls: (TSESTree.CallExpression | TSESTree.NewExpression)[] = [];
  // Nested functions with a signal parameter of their own are checked on their own.
  visit(fn.body, (n) => {
    if (n.type === 'CallExpression' || n.type === 'NewExpression') calls.push(n);
  }, (n) => isFunction(n) && withSignal.has(n));
  for (const call of calls) {
    const known = call.type === 'CallExpression' ? knownCancellable(ctx, call) : undefined;
    if (known) return known;
  }
  // A function of the file that takes a signal itself (`backup(url, out, { signal } = {})`): in
  // JavaScript, where no signature says so.
  for (const call of calls) {
    if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier') continue;
    const target = fileFunction(ctx, call.callee.name);
    // One that ignores its own signal (reads other members of the bag) stops nothing either.
    if (target && target !== fn && withSignal.get(target)?.some((p) => signalUsed(p, target.body))) return `${call.callee.name}()`;
  }
  if (!isTsFile(ctx.filePath) || calls.length === 0) return undefined;
  const s = types.get();
  if (!s) return undefined;
  for (const call of calls) if (signatureAcceptsSignal(s, call)) return calleeText(ctx, call);
  return undefined;
}


// ---------------------------------------------------------------------------------------------
// timer-or-listener-leak

/** Functions that usually run once per process: a listener or interval there is set-up, not a leak. */
const ENTRY_POINTS =
  /^(start|startup|run|serve|listen|launch|boot)$|^(start|run|launch|boot)(Server|App|Application|Agent|Worker|Workers|Consumer|Consumers|Service|Services|Bot|Daemon|Scheduler|Poller|Watcher|Gateway|Cluster|Monitor|Process)$|^(main|init|initiali[sz]e|setup|setUp|bootstrap|install)([A-Z_$]|$)/;
/** Start-up names with a qualifier: `startLagMonitor`, `runHealthServer`, `bootMetricsAgent`. */
const QUALIFIED_ENTRY_POINTS = /^(start|run|launch|boot)[A-Z]\w*(Server|Monitor|Poller|Watcher|Scheduler|Daemon|Agent|Consumer|Consumers|Gateway|Cluster|Workers)$/;
/** Base classes of per-request objects: a listener a stream adds to itself dies with it. */
const STREAM_CLASSES = /^([\w$]+\.)?(Duplex|Readable|Writable|Transform|PassThrough|IncomingMessage|ServerResponse|ClientRequest)$/;
const LONG_LIVED_GLOBALS = new Set(['process', 'window', 'document', 'globalThis', 'self', 'navigator']);
const REGISTER = new Set(['addEventListener', 'on', 'addListener', 'prependListener']);
/** EventEmitter methods that return the emitter (so registrations chain). */
const CHAINED_REGISTER = new Set(['on', 'addListener', 'prependListener', 'once', 'prependOnceListener', 'off', 'removeListener', 'setMaxListeners']);
const REMOVE = new Set(['removeEventListener', 'off', 'removeListener', 'removeAllListeners']);

/** The event-name and handler arguments of a registration: `on(event, fn)`, or an extension event's `addListener(fn)`. */
function listenerArgs(ctx: TsRuleContext, call: TSESTree.CallExpression): { eventArg: Node | undefined; handler: Node | undefined } {
  // `chrome.tabs.onUpdated.addListener(fn)`: a browser extension's event object, which lives as long
  // as the extension's page or service worker; adding a function already added adds nothing.
  if (extensionEventCall(ctx, call, 'addListener')) return { eventArg: undefined, handler: call.arguments[0] as Node };
  return { eventArg: call.arguments[0] as Node | undefined, handler: call.arguments[1] as Node | undefined };
}

/** The function a `new Promise(...)` executor belongs to (the executor runs during its call). */
function logicalFunction(fn: FunctionNode): FunctionNode | undefined {
  let f: FunctionNode | undefined = fn;
  while (f) {
    const p: Node | undefined = f.parent;
    const isExecutor = p?.type === 'NewExpression' && p.arguments[0] === f && unwrap(p.callee).type === 'Identifier' && (unwrap(p.callee) as TSESTree.Identifier).name === 'Promise';
    if (!isExecutor) return f;
    f = ownerFunction(p);
  }
  return undefined;
}

/** Whether `fn` is async or returns a promise. */
function isAsyncContext(fn: FunctionNode): boolean {
  if (fn.async) return true;
  const ret = fn.returnType?.typeAnnotation;
  if (ret) {
    const name = typeRefName(ret);
    return name === 'Promise' || name === 'PromiseLike';
  }
  // An arrow or function that returns `new Promise(...)`.
  let returnsPromise = false;
  if (fn.body.type !== 'BlockStatement') {
    const b = unwrap(fn.body);
    returnsPromise = b.type === 'NewExpression' && unwrap(b.callee).type === 'Identifier' && (unwrap(b.callee) as TSESTree.Identifier).name === 'Promise';
  } else {
    visit(fn.body, (n) => {
      if (n.type === 'ReturnStatement' && n.argument) {
        const a = unwrap(n.argument);
        if (a.type === 'NewExpression' && unwrap(a.callee).type === 'Identifier' && (unwrap(a.callee) as TSESTree.Identifier).name === 'Promise') returnsPromise = true;
      }
    }, isFunction);
  }
  return returnsPromise;
}

/**
 * Code whose set-up is judged per call: an async or promise-returning function, and a method of
 * the source given to `new ReadableStream(...)`, async or not (a plain `start(controller)` runs
 * once per stream made, an SSE heartbeat's once per client).
 */
function perCallContext(fn: FunctionNode): boolean {
  return isAsyncContext(fn) || webStreamSourceMethod(fn) || connectionHandler(fn) || requestHandlerShape(fn);
}

/**
 * Whether `name` is a parameter of the function around `fn` (the nearest that declares it), and
 * that function is plain set-up code, run once for what it is given: not itself per call (async,
 * a connection handler), nor nested in one.
 */
function setupParameter(fn: FunctionNode, name: string): boolean {
  // A `once` listener runs once: what it registers is registered once (`client.once('ready', ...)`).
  const { parent } = outerParent(fn);
  const callee = parent?.type === 'CallExpression' && parent.arguments.includes(fn as TSESTree.CallExpressionArgument) ? unwrap(parent.callee) : undefined;
  if (callee?.type === 'MemberExpression' && /^(once|prependOnceListener)$/.test(propName(callee) ?? '')) return false;
  for (let outer = enclosingFunction(fn); outer; outer = enclosingFunction(outer)) {
    if (outer.params.some((p) => patternNames(p).includes(name))) {
      for (let f: FunctionNode | undefined = outer; f; f = enclosingFunction(f)) if (perCallContext(f)) return false;
      return true;
    }
    if (declaredNames(outer).has(name)) return false;
  }
  return false;
}

/** `'startPolling'`, or `the 'connection' listener of 'wss'` for a connection handler. */
function perCallLabel(ctx: TsRuleContext, fn: FunctionNode): string {
  if (!connectionHandler(fn)) return `'${functionDisplayName(fn)}'`;
  const call = outerParent(fn).parent as TSESTree.CallExpression;
  const callee = unwrap(call.callee);
  const event = stringValue(call.arguments[0]);
  if (callee.type !== 'MemberExpression' || event === undefined) return `the listener given to '${shownText(ctx, callee, 30)}'`;
  return `the '${event}' listener of '${shownText(ctx, callee.object, 30)}'`;
}

/** Server events that fire once per client connection or request. */
const CONNECTION_EVENTS = new Set(['connection', 'secureConnection', 'request', 'upgrade', 'stream']);

/**
 * The listener given inline to a server's `on('connection', ...)` (ws, socket.io, `net`), or to
 * `on('request' | 'upgrade' | 'stream', ...)`: it runs for every client, so what it starts
 * without undoing (a heartbeat interval) piles up with the connections.
 */
function connectionHandler(fn: FunctionNode): boolean {
  const { node, parent } = outerParent(fn);
  if (parent?.type !== 'CallExpression') return false;
  // `net.createServer((socket) => ...)`, `http.createServer((req, res) => ...)`: the same listener.
  const callee = unwrap(parent.callee);
  const made = callee.type === 'Identifier' ? callee.name : methodName(parent);
  if ((made === 'createServer' || made === 'createSecureServer') && parent.arguments[parent.arguments.length - 1] === node) return true;
  if (parent.arguments[1] !== node) return false;
  const method = methodName(parent);
  return (method === 'on' || method === 'addListener' || method === 'prependListener') && CONNECTION_EVENTS.has(stringValue(parent.arguments[0]) ?? '');
}

/**
 * An async IIFE at module level, an entry-point function, or a module function called only from
 * the module's top level (`mainAsync(options).catch(onError)`): code that runs once.
 */
function runsOnce(ctx: TsRuleContext, fn: FunctionNode, depth = 0): boolean {
  // `#initialize`, `_setup`: private names of the same entry points.
  const name = functionDisplayName(fn).replace(/^[#_]+/, '');
  // `new ReadableStream({ async start(controller) { ... } })`: runs for every stream made; so does
  // a request handler (`initUpload(req, res)`), whatever it is called.
  if (webStreamSourceMethod(fn) || requestHandlerShape(fn)) return false;
  // `export async function main(event, context)`: a serverless entry point the platform calls for
  // every invocation (Serverless Framework and SST name them `main` or `run`); a script's own
  // `main` is called once from the module's top level.
  if (platformHandler(fn)) return calledOnlyAtTopLevel(ctx, fn, depth, true);
  if (ENTRY_POINTS.test(name)) return !calledAgain(ctx, fn);
  // `startLagMonitor()`, `startMetricsServer(port)`: a qualified start-up name, taken as run once
  // unless a call in this file says otherwise (one from a request handler or a loop).
  if (QUALIFIED_ENTRY_POINTS.test(name)) return inFileCallsOnce(ctx, fn, depth);
  // `startRealtime(port)`, `runGateway()`: another start-up name, when the function starts a
  // server itself (`server.listen(port)`): a process listens once. Likewise when it forks the
  // workers of a cluster (`startPrimary()` calling `cluster.fork()`): the primary does that once.
  if (/^(start|run|launch|boot)[A-Z]/.test(name) && (startsListening(fn) || forksClusterWorkers(ctx, fn))) return inFileCallsOnce(ctx, fn, depth);
  // `connectDatabase(uri)`, `connectDB()`: a connect function that opens mongoose's process-wide default
  // connection (`mongoose.connect(uri)`), which a process opens once: its `mongoose.connection.on(...)` is set-up.
  if (/^(connect|open)([A-Z_$]|$)/.test(name) && opensMongooseDefault(ctx, fn)) return inFileCallsOnce(ctx, fn, depth);
  // A VS Code extension's `export async function activate(context)`: once per activation.
  if (name === 'activate' && ownerFunction(fn) === undefined && fn.parent?.type === 'ExportNamedDeclaration') return true;
  // Next.js's `instrumentation.ts`: `export async function register()` runs once per server.
  if (name === 'register' && /(^|[\\/])instrumentation(-node|-edge)?\.[cm]?[jt]s$/.test(ctx.filePath) && ownerFunction(fn) === undefined) return true;
  // Lifecycle hooks of singletons: NestJS providers and gateways, Apollo server plugins.
  if (LIFECYCLE_HOOKS.test(name) && inClassOrObjectMethod(fn)) return true;
  // The init hooks of an Angular app's root component, which is made once.
  if (ANGULAR_INIT_HOOKS.has(name) && fn.parent?.type === 'MethodDefinition') {
    const cls = fn.parent.parent?.parent;
    if ((cls?.type === 'ClassDeclaration' || cls?.type === 'ClassExpression') && (cls.decorators ?? []).length > 0 && rootComponent(cls)) return true;
  }
  if (name === 'register' && pluginObject(fn)) return true;
  if (privateHelperOfOnce(ctx, fn, depth)) return true;
  const { parent, node } = outerParent(fn);
  if (parent?.type === 'CallExpression' && parent.callee === node) return ownerFunction(parent) === undefined && !insideLoop(parent);
  if (parent?.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument) && startupCallback(ctx, parent)) return true;
  return calledOnlyAtTopLevel(ctx, fn, depth);
}

const LIFECYCLE_HOOKS = /^(onModuleInit|onApplicationBootstrap|afterInit|serverWillStart)$/;

/** Registrations whose callback runs again at every event (a watch's at every change); `setInterval`'s at every tick. */
const REPEATING_REGISTER = /^(on|addListener|addEventListener|prependListener|subscribe|watch|watchFile)$/;
/** Events that fire once per process or page: a callback of theirs runs once. */
const ONCE_EVENTS = new Set(['ready', 'listening', 'DOMContentLoaded', 'load', 'exit', 'beforeExit']);

/**
 * Whether a module-level function with a start-up name (`run`, `start`, `init`) is called again and
 * again all the same: from a listener (`watcher.on('change', () => run())`, also through a timer it
 * sets, a debounce) or an interval's callback — in this file or, with types, in a module of the
 * project importing it by name (`import { run } from './run.js'` in a watch mode's module). Each call
 * then adds what a call adds: a listener on `process` per re-run.
 */
function calledAgain(ctx: TsRuleContext, fn: FunctionNode): boolean {
  const id = fn.type === 'FunctionDeclaration' ? fn.id : fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier' ? fn.parent.id : undefined;
  if (!id || ownerFunction(fn) !== undefined) return false;
  if (referencesTo(ctx.ast, id.name).some((r) => r !== id && r.parent?.type === 'CallExpression' && r.parent.callee === r && inRepeatingCallback(r.parent))) return true;
  return calledAgainByImporters(ctx, fn, id.name);
}

function inRepeatingCallback(node: Node): boolean {
  for (let f = ownerFunction(node); f; f = ownerFunction(f)) {
    const { node: arg, parent } = outerParent(f);
    if (parent?.type !== 'CallExpression' || !parent.arguments.includes(arg as TSESTree.CallExpressionArgument)) continue;
    const callee = unwrap(parent.callee);
    const method = callee.type === 'Identifier' ? callee.name : methodName(parent);
    if (method === 'setInterval') return true;
    if (method && REPEATING_REGISTER.test(method) && !ONCE_EVENTS.has(stringValue(parent.arguments[0]) ?? '')) return true;
  }
  return false;
}

/** Per program: the answers already worked out, by file and function name. */
const importerAnswers = new WeakMap<ts.Program, Map<string, boolean>>();

function calledAgainByImporters(ctx: TsRuleContext, fn: FunctionNode, name: string): boolean {
  const s = ctx.types();
  if (!s || !exportedFunction(ctx, fn, name)) return false;
  const target = s.sourceFile.fileName;
  let answers = importerAnswers.get(s.program);
  if (!answers) importerAnswers.set(s.program, (answers = new Map()));
  const key = `${target}\0${name}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  // An import names the file by its base name, or by its folder for an index file.
  const base = target.replace(/\\/g, '/').replace(/\.[cm]?[jt]sx?$/, '').split('/');
  const stem = base[base.length - 1] === 'index' ? base[base.length - 2] : base[base.length - 1];
  let found = false;
  // The importers are looked for among the project's files, which the file's program (its own
  // imports) need not hold.
  for (const sf of stem ? s.filesContaining([stem, name]) : []) {
    if (found) break;
    if (sf.fileName === target) continue;
    for (const local of importedLocalNames(s, sf, target, name)) {
      if (tsCallsInRepeatingCallback(sf, local)) {
        found = true;
        break;
      }
    }
  }
  answers.set(key, found);
  return found;
}

/** An `export function run()`, `export const run = ...`, or a function the module exports by an export list. */
function exportedFunction(ctx: TsRuleContext, fn: FunctionNode, name: string): boolean {
  const holder = fn.type === 'FunctionDeclaration' ? fn.parent : fn.parent?.parent?.parent;
  if (holder?.type === 'ExportNamedDeclaration') return true;
  return ctx.ast.body.some((st) => st.type === 'ExportNamedDeclaration' && !st.source && st.specifiers.some((sp) => sp.local.type === 'Identifier' && sp.local.name === name));
}

/** The local names a source file gives the export `name` of the module `target` (`import { run as go } from './run.js'`). */
function importedLocalNames(s: TypeServices, sf: ts.SourceFile, target: string, name: string): string[] {
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.importClause?.isTypeOnly) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const specs = bindings.elements.filter((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === name);
    if (!specs.length) continue;
    const resolved = ts.resolveModuleName(st.moduleSpecifier.text, sf.fileName, s.program.getCompilerOptions(), ts.sys).resolvedModule;
    if (!resolved || path.resolve(resolved.resolvedFileName) !== path.resolve(target)) continue;
    out.push(...specs.map((e) => e.name.text));
  }
  return out;
}

/** Whether `sf` calls `local(...)` from inside a listener or an interval's callback (the TypeScript AST's view of inRepeatingCallback). */
function tsCallsInRepeatingCallback(sf: ts.SourceFile, local: string): boolean {
  let found = false;
  const repeating = (call: ts.CallExpression): boolean => {
    for (let n: ts.Node = call; n.parent; n = n.parent) {
      if (!ts.isFunctionLike(n)) continue;
      let arg: ts.Node = n;
      while (ts.isParenthesizedExpression(arg.parent) || ts.isAsExpression(arg.parent)) arg = arg.parent;
      const outer = arg.parent;
      if (!ts.isCallExpression(outer) || !outer.arguments.includes(arg as ts.Expression)) continue;
      const callee = outer.expression;
      const method = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method === 'setInterval') return true;
      const event = outer.arguments[0];
      if (method && REPEATING_REGISTER.test(method) && !(event && ts.isStringLiteralLike(event) && ONCE_EVENTS.has(event.text))) return true;
    }
    return false;
  };
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === local && repeating(n)) {
      found = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return found;
}

/** Whether the function (or a callback in it) calls `.listen(...)` with a port: it starts a server. */
function startsListening(fn: FunctionNode): boolean {
  let found = false;
  visit(fn.body, (n) => {
    if (!found && n.type === 'CallExpression' && methodName(n) === 'listen' && n.arguments.length > 0) found = true;
  });
  return found;
}

/** Whether a function calls `cluster.fork()` of Node's `cluster` module (outside nested functions). */
function forksClusterWorkers(ctx: TsRuleContext, fn: FunctionNode): boolean {
  let found = false;
  visit(fn.body, (n) => {
    if (found || n.type !== 'CallExpression') return;
    const m = ctx.imports.resolve(n.callee);
    if (m?.module === 'cluster' && m.path.join('.').replace(/^default\./, '') === 'fork') found = true;
  }, isFunction);
  return found;
}

/** Whether a function calls `mongoose.connect(...)` of the `mongoose` module (outside nested functions). */
function opensMongooseDefault(ctx: TsRuleContext, fn: FunctionNode): boolean {
  let found = false;
  visit(fn.body, (n) => {
    if (found || n.type !== 'CallExpression') return;
    const m = ctx.imports.resolve(unwrap(n.callee));
    if (m?.module === 'mongoose' && m.path.join('.').replace(/^default\./, '') === 'connect') found = true;
  }, isFunction);
  return found;
}

/**
 * A private method (`private async connect()`, `#connect()`) whose every use in its class is a
 * call `this.connect()` from code that runs once (`onModuleInit`), outside loops and callbacks:
 * it runs once too. A call from a listener or timer (a reconnect), another method, or a loop
 * keeps it per call.
 */
function privateHelperOfOnce(ctx: TsRuleContext, fn: FunctionNode, depth: number): boolean {
  const holder = fn.parent;
  if (depth > 3 || (holder?.type !== 'MethodDefinition' && holder?.type !== 'PropertyDefinition') || holder.value !== fn || holder.static) return false;
  const isPrivate = holder.key.type === 'PrivateIdentifier' || holder.accessibility === 'private';
  const name = holder.key.type === 'PrivateIdentifier' ? holder.key.name : keyName(holder);
  const cls = holder.parent?.parent;
  if (!isPrivate || !name || (cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression')) return false;
  const uses: TSESTree.MemberExpression[] = [];
  visit(cls.body, (n) => {
    // `this.connect`: `this.redis.connect()` is another object's.
    if (n.type !== 'MemberExpression' || n.computed || unwrap(n.object).type !== 'ThisExpression') return;
    const key = n.property.type === 'PrivateIdentifier' ? n.property.name : n.property.type === 'Identifier' ? n.property.name : undefined;
    if (key === name && (n.property.type === 'PrivateIdentifier') === (holder.key.type === 'PrivateIdentifier')) uses.push(n);
  });
  return uses.length > 0 && uses.every((use) => {
    const { node, parent } = outerParent(use);
    if (parent?.type !== 'CallExpression' || parent.callee !== node || insideLoop(parent)) return false;
    const caller = ownerFunction(parent);
    const logical = caller && logicalFunction(caller);
    return !!logical && logical !== fn && enclosingClass(logical) === cls && runsOnce(ctx, logical, depth + 1);
  });
}

/** `(req, res)`, `(request, reply)`, `(ctx, next)`-shaped parameters: a handler called for every request. */
function requestHandlerShape(fn: FunctionNode): boolean {
  const names = fn.params.map((p) => (p.type === 'Identifier' ? p.name : ''));
  return names.length >= 2 && /^req(uest)?$/.test(names[0]) && /^(res|response|reply)$/.test(names[1]);
}

/** Whether the function around `node` takes a VS Code `CancellationToken` (a provider's last parameter). */
function takesCancellationToken(node: Node): boolean {
  const fn = ownerFunction(node);
  return !!fn && fn.params.some((p) => {
    const annotation = p.type === 'Identifier' ? p.typeAnnotation?.typeAnnotation : undefined;
    return !!annotation && /(^|\.)CancellationToken$/.test(typeRefName(annotation) ?? '');
  });
}

/**
 * `if (!installed) { installed = true; process.on(...) }`: a registration behind a flag the same
 * block sets, so it runs once.
 */
function guardedByFlag(ctx: TsRuleContext, call: Node): boolean {
  if (earlyReturnFlag(ctx, call)) return true;
  for (let n: Node | undefined = call.parent; n && !isFunction(n); n = n.parent) {
    if (n.type !== 'IfStatement') continue;
    const test = unwrap(n.test);
    if (test.type !== 'UnaryExpression' || test.operator !== '!') continue;
    const flag = normalized(ctx, test.argument);
    let sets = false;
    visit(n.consequent, (m) => {
      if (!sets && m.type === 'AssignmentExpression' && m.operator === '=' && normalized(ctx, m.left) === flag && alwaysTruthy(m.right)) sets = true;
    }, (m) => isFunction(m));
    if (sets) return true;
  }
  return false;
}

/**
 * A value that is truthy whatever it holds: a truthy literal (`true`, `1`, `'on'`), or an object
 * made there (`new Promise(...)`, `{}`, `[]`, a function), as a lazy set-up stores
 * (`if (!this.pending) { this.pending = new Promise(...); signal.addEventListener(...) }`).
 */
function alwaysTruthy(value: Node): boolean {
  const v = unwrap(value);
  if (v.type === 'Literal') return !!v.value;
  return v.type === 'NewExpression' || v.type === 'ObjectExpression' || v.type === 'ArrayExpression' || v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression' || v.type === 'ClassExpression';
}

/**
 * `if (this.ready || !enabled) return;` at the top of the function, and `this.ready = true;` in its
 * body: the registrations between them run once (a second call leaves at the guard).
 */
function earlyReturnFlag(ctx: TsRuleContext, call: Node): boolean {
  const fn = ownerFunction(call);
  if (!fn || fn.body?.type !== 'BlockStatement') return false;
  const statements = fn.body.body;
  const at = statements.findIndex((st) => st.range[0] <= call.range[0] && call.range[1] <= st.range[1]);
  if (at < 0) return false;
  const flags = new Set<string>();
  for (const st of statements.slice(0, at)) {
    if (st.type !== 'IfStatement' || st.alternate) continue;
    const exit = st.consequent.type === 'BlockStatement' && st.consequent.body.length === 1 ? st.consequent.body[0] : st.consequent;
    if (exit.type !== 'ReturnStatement' && exit.type !== 'ThrowStatement') continue;
    const operands = (e: Node): Node[] => {
      const u = unwrap(e);
      return u.type === 'LogicalExpression' && u.operator === '||' ? [...operands(u.left), ...operands(u.right)] : [u];
    };
    for (const o of operands(st.test)) if (o.type === 'Identifier' || o.type === 'MemberExpression') flags.add(normalized(ctx, o));
  }
  if (flags.size === 0) return false;
  // Set to true, and never back to false there: a busy flag (`this.loading = false` once done)
  // lets the next call through.
  let sets = false;
  let clears = false;
  visit(fn.body, (m) => {
    if (m.type !== 'AssignmentExpression' || !flags.has(normalized(ctx, m.left))) return;
    if (m.operator === '=' && alwaysTruthy(m.right)) sets = true;
    else clears = true;
  }, (m) => isFunction(m));
  return sets && !clears;
}

/** A method of the source object given to `new ReadableStream(...)` (or a Writable/TransformStream). */
function webStreamSourceMethod(fn: FunctionNode): boolean {
  const holder = fn.parent;
  if (holder?.type !== 'Property' || holder.value !== fn || !STREAM_SOURCE_METHODS.has(keyName(holder) ?? '')) return false;
  const made = holder.parent?.parent;
  return made?.type === 'NewExpression' && /^(ReadableStream|WritableStream|TransformStream)$/.test(ctxFreeName(made.callee) ?? '');
}

/**
 * `register` of a plugin object (`{ name: 'audit', register: async (server) => ... }`, hapi's
 * shape, also with `pkg`): the server registers a plugin once (hapi refuses a second
 * registration unless the plugin declares `multiple: true`).
 */
function pluginObject(fn: FunctionNode): boolean {
  const p = fn.parent;
  const object = p?.type === 'Property' && p.value === fn ? p.parent : undefined;
  if (object?.type !== 'ObjectExpression') return false;
  const keys = object.properties.map((q) => (q.type === 'Property' ? keyName(q) : undefined));
  const multiple = object.properties.some((q) => q.type === 'Property' && keyName(q) === 'multiple' && q.value.type === 'Literal' && q.value.value === true);
  return (keys.includes('name') || keys.includes('pkg')) && !multiple;
}

function inClassOrObjectMethod(fn: FunctionNode): boolean {
  const p = fn.parent;
  return p?.type === 'MethodDefinition' || (p?.type === 'Property' && p.value === fn);
}

const PAGE_READY_EVENTS = new Set(['DOMContentLoaded', 'load']);

/**
 * A callback that runs once at start-up: `app.whenReady().then(cb)` and `app.on('ready', cb)`
 * (Electron), a commander `program.action(cb)` (a command line runs one action per process), a
 * page's `document.addEventListener('DOMContentLoaded', cb)` or `window.addEventListener('load', cb)`
 * registered at the top of the module (a page loads once), and a browser extension's
 * `chrome.runtime.onInstalled`/`onStartup` listener (once per install or browser start).
 */
function startupCallback(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  const object = callee.object;
  if (method === 'addEventListener' && ownerFunction(call) === undefined && PAGE_READY_EVENTS.has(stringValue(call.arguments[0]) ?? '')) {
    const root = unwrap(object);
    if (root.type === 'Identifier' && PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) return true;
  }
  if (method === 'addListener' && /^runtime\.(onInstalled|onStartup)$/.test(extensionPath(ctx, object)?.join('.') ?? '')) return true;
  if (method === 'then' && object.type === 'CallExpression' && object.callee.type === 'MemberExpression' && !object.callee.computed && object.callee.property.type === 'Identifier' && object.callee.property.name === 'whenReady') return true;
  if ((method === 'on' || method === 'once') && call.arguments[0]?.type === 'Literal' && call.arguments[0].value === 'ready' && object.type === 'Identifier' && object.name === 'app') return true;
  return method === 'action' && (ownerFunction(call) === undefined || commanderCommand(object, 0));
}

/**
 * A commander command: `new Command('deploy')`, `program`, a builder chain on one
 * (`.command('x').option(...)`), or a name bound to one. Its action runs once per process,
 * wherever the command is built.
 */
function commanderCommand(node: Node, depth: number): boolean {
  const e = unwrap(node);
  if (depth > 8) return false;
  if (e.type === 'NewExpression') {
    const callee = unwrap(e.callee);
    return (callee.type === 'Identifier' && callee.name === 'Command') || (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'Command');
  }
  if (e.type === 'Identifier') {
    if (e.name === 'program') return true;
    const declarator = localDeclarator(e);
    return !!declarator?.init && commanderCommand(declarator.init, depth + 1);
  }
  if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && !e.callee.computed && e.callee.property.type === 'Identifier' && COMMANDER_BUILDERS.has(e.callee.property.name)) {
    return commanderCommand(e.callee.object, depth + 1);
  }
  return false;
}

/** The one declarator of `id`'s name in its function (or module), if there is exactly one. */
function localDeclarator(id: TSESTree.Identifier): TSESTree.VariableDeclarator | undefined {
  let root: Node | undefined = id.parent;
  while (root && !isFunction(root) && root.type !== 'Program') root = root.parent;
  if (!root) return undefined;
  const found: TSESTree.VariableDeclarator[] = [];
  visit(isFunction(root) ? root.body : root, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === id.name) found.push(n);
  }, isFunction);
  return found.length === 1 ? found[0] : undefined;
}

const COMMANDER_BUILDERS = new Set(['command', 'description', 'option', 'requiredOption', 'argument', 'arguments', 'alias', 'usage', 'name', 'version', 'addOption', 'addArgument', 'allowUnknownOption', 'summary', 'helpOption']);

function calledOnlyAtTopLevel(ctx: TsRuleContext, fn: FunctionNode, depth: number, exported = false): boolean {
  let id: TSESTree.Identifier | undefined;
  let declaration: Node | undefined;
  if (fn.type === 'FunctionDeclaration' && fn.id) {
    id = fn.id;
    declaration = fn;
  } else if (fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier') {
    id = fn.parent.id;
    declaration = fn.parent.parent;
  }
  // Declared at the top of the module and not exported: every caller is in this file. An
  // exported one (`exported`) is judged by the calls this file makes.
  const where = declaration?.parent?.type === 'ExportNamedDeclaration' && exported ? declaration.parent.parent : declaration?.parent;
  if (!id || where?.type !== 'Program') return false;
  const refs = referencesTo(ctx.ast, id.name).filter((r) => r !== id);
  return refs.length > 0 && refs.every((r) => calledOnce(ctx, r, fn, depth));
}

/** Whether every call this file makes to the module-level `fn` (if it makes any) is made once. */
function inFileCallsOnce(ctx: TsRuleContext, fn: FunctionNode, depth: number): boolean {
  const id = fn.type === 'FunctionDeclaration' ? fn.id : fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier' ? fn.parent.id : undefined;
  if (!id || ownerFunction(fn) !== undefined) return true;
  return referencesTo(ctx.ast, id.name).every((r) => r === id || calledOnce(ctx, r, fn, depth) || r.parent?.type === 'ExportSpecifier' || commonJsExport(r));
}

/** A name exported the CommonJS way: `module.exports = { startPrimary }`, `module.exports.start = start`, `exports.start = start`. */
function commonJsExport(r: TSESTree.Identifier): boolean {
  const exportsTarget = (n: Node | undefined): boolean =>
    !!n && ((n.type === 'Identifier' && n.name === 'exports') ||
      (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === 'module' && n.property.type === 'Identifier' && n.property.name === 'exports'));
  const parent = r.parent;
  if (parent?.type === 'AssignmentExpression' && parent.right === r) return parent.left.type === 'MemberExpression' && exportsTarget(parent.left.object);
  if (parent?.type === 'Property' && parent.value === r) {
    const obj = parent.parent;
    return obj?.type === 'ObjectExpression' && obj.parent?.type === 'AssignmentExpression' && obj.parent.right === obj && exportsTarget(obj.parent.left);
  }
  return false;
}

/**
 * Whether the use `r` of a function's name is a call made once: from the module's top level or
 * from code that runs once (`main()` calling `startLagMonitor()`), outside loops and callbacks,
 * or the function handed to a start-up callback (`program.command('deploy').action(deploy)`).
 */
function calledOnce(ctx: TsRuleContext, r: TSESTree.Identifier, fn: FunctionNode, depth: number): boolean {
  const call = r.parent;
  if (call?.type !== 'CallExpression') return false;
  if (call.arguments.includes(r as TSESTree.CallExpressionArgument)) return startupCallback(ctx, call);
  if (call.callee !== r || insideLoop(call)) return false;
  const caller = ownerFunction(call);
  if (caller === undefined) return true;
  const logical = logicalFunction(caller);
  return depth < 3 && !!logical && logical !== fn && runsOnce(ctx, logical, depth + 1);
}

/** A method of a class extending a stream (a per-request object). */
function inStreamClass(ctx: TsRuleContext, fn: FunctionNode): boolean {
  let n: Node | undefined = fn.parent;
  while (n && n.type !== 'ClassDeclaration' && n.type !== 'ClassExpression') {
    if (isFunction(n)) return false;
    n = n.parent;
  }
  const base = n?.superClass;
  return !!base && STREAM_CLASSES.test(normalized(ctx, base));
}

/**
 * A method of a class of the module that is only ever run once per instance: the class is neither
 * exported nor handed anywhere, every `new C(...)` in the file is called at once
 * (`return new StreamExecutor(client, stream).execute()`) and the class does not call the method
 * itself. A listener it adds to `this`'s members goes with the instance.
 */
function oneShotMethod(ctx: TsRuleContext, fn: FunctionNode): boolean {
  const method = fn.parent;
  if (method?.type !== 'MethodDefinition' || method.kind !== 'method' || method.static || method.computed || method.key.type !== 'Identifier') return false;
  const name = method.key.name;
  const cls = method.parent?.parent;
  if (cls?.type !== 'ClassDeclaration' || !cls.id || cls.parent?.type !== 'Program') return false;
  const className = cls.id.name;
  let news = 0;
  let other = false;
  visit(ctx.ast, (n) => {
    if (other) return;
    if (n.type === 'Identifier' && n.name === className && n !== cls.id && isReference(n)) {
      const p = n.parent;
      const call = p?.type === 'NewExpression' && p.callee === n ? outerParent(p) : undefined;
      const member = call?.parent;
      if (member?.type === 'MemberExpression' && member.object === call!.node && propName(member) === name && member.parent?.type === 'CallExpression' && member.parent.callee === member) news++;
      else other = true;
    }
    // `this.execute()` inside the class: run again on the same instance.
    if (n.type === 'MemberExpression' && unwrap(n.object).type === 'ThisExpression' && propName(n) === name && enclosingClass(n) === cls) other = true;
  });
  return news > 0 && !other;
}

function insideLoop(node: Node): boolean {
  for (let n = node.parent; n && !isFunction(n); n = n.parent) if (isLoop(n)) return true;
  return false;
}

/**
 * Whether `node` is in the body of a loop whose turns are work items, within its function: a
 * `for await` (messages, jobs), a `while`/`do` or a `for` without a test. A `for...of` over a
 * fixed list (`for (const t of tenants)`) is bounded set-up.
 */
function insideWorkLoop(node: Node): boolean {
  let child: Node = node;
  for (let n = node.parent; n && !isFunction(n); child = n, n = n.parent) {
    if (!isLoop(n) || n.body !== child) continue;
    if ((n.type === 'ForOfStatement' && n.await) || n.type === 'WhileStatement' || n.type === 'DoWhileStatement' || (n.type === 'ForStatement' && !n.test)) return true;
  }
  return false;
}

/** The loop whose body contains `node`, within the same function. */
function enclosingLoopBody(node: Node): Node | undefined {
  let child: Node = node;
  for (let n = node.parent; n && !isFunction(n); child = n, n = n.parent) {
    if (isLoop(n) && n.body === child) return n;
  }
  return undefined;
}

/** The identifier or `this` a member chain starts from. */
function chainRoot(expr: Node): TSESTree.Identifier | TSESTree.ThisExpression | undefined {
  let n = unwrap(expr);
  while (n.type === 'MemberExpression') n = unwrap(n.object);
  return n.type === 'Identifier' || n.type === 'ThisExpression' ? n : undefined;
}

function normalized(ctx: TsRuleContext, node: Node): string {
  return ctx.text.slice(node.range[0], node.range[1]).replace(/\s+|\?|!/g, '');
}

function lastSegment(ctx: TsRuleContext, node: Node): string {
  const n = unwrap(node);
  if (n.type === 'MemberExpression') return propName(n) ?? normalized(ctx, n);
  return normalized(ctx, n);
}

/** Names declared in a subtree (variables, parameters, functions, classes, catch bindings). */
function declaredNames(root: Node): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: Node | null | undefined) => {
    for (const name of patternNames(p)) names.add(name);
  };
  visit(root, (n) => {
    if (n.type === 'VariableDeclarator') addPattern(n.id);
    else if (isFunction(n)) {
      if (n !== root && n.id) names.add(n.id.name);
      for (const p of n.params) addPattern(p);
    } else if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) names.add(n.id.name);
    else if (n.type === 'CatchClause') addPattern(n.param);
  });
  return names;
}

function topLevelNames(ast: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  for (let s of ast.body) {
    if ((s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration') && s.declaration) s = s.declaration as TSESTree.ProgramStatement;
    if (s.type === 'VariableDeclaration') for (const d of s.declarations) for (const n of patternNames(d.id)) names.add(n);
    else if (s.type === 'ImportDeclaration') for (const sp of s.specifiers) names.add(sp.local.name);
    else if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id) names.add(s.id.name);
    else if (s.type === 'TSImportEqualsDeclaration') names.add(s.id.name);
  }
  return names;
}

interface Removal {
  target: string;
  last: string;
  /** The event name, when it is a string literal. */
  event: string | undefined;
  /** A template literal event name with substitutions (`tenant.${t}`), as a pattern. */
  pattern?: RegExp;
  /** `removeAllListeners(...)`, or `off(event)` without a handler: removes whatever was added. */
  clearsAll: boolean;
  /** Whether the target is reached through `this`. */
  viaThis: boolean;
  /** The class the removal is written in, if any. */
  inClass: Node | undefined;
  /** The handler removed, when named. */
  handler?: string;
  /** The removal call. */
  at?: Node;
}


/** Whether an expression's chain starts at `this` (`this.worker`, `this.pool.client`). */
function rootedAtThis(expr: Node): boolean {
  return chainRoot(expr)?.type === 'ThisExpression';
}

/**
 * Whether a removal may be on the registration's target: the same text, or the same last name
 * (`this.worker` and `worker`) when both are reached the same way or the removal is written in
 * the registration's class (`const worker = this.worker; worker.off(...)`).
 */
function sameTarget(r: Removal, targetText: string, last: string, viaThis: boolean, inClass: Node | undefined): boolean {
  if (r.target === targetText) return true;
  if (r.last !== last) return false;
  return r.viaThis === viaThis || (inClass !== undefined && r.inClass === inClass);
}

/** `\`tenant.${t}\``: the names it can produce. */
function templatePattern(t: TSESTree.TemplateLiteral): RegExp {
  const esc = (q: TSESTree.TemplateElement) => (q.value.cooked ?? q.value.raw).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${t.quasis.map(esc).join('[^]*')}$`);
}

/** Whether a removal may undo a listener for `event` (undefined: not a literal). Literal names must agree. */
function removalEventMatches(r: Removal, event: string | undefined): boolean {
  if (event === undefined) return true;
  if (r.event !== undefined) return r.event === event;
  if (r.pattern) return r.pattern.test(event);
  return true; // a variable, or no name at all: may be any event
}

interface Clear {
  last: string;
  text: string;
  /** The `clearInterval(...)` call. */
  at: Node;
  /** For `clearInterval(this.x)`: the class `this` is, when known. */
  owner?: Node;
}

/**
 * The class that `this` is at `node`: arrows see through, methods belong to their class.
 * Undefined when unknown (a plain function's own `this`, an object literal, module level).
 */
function thisOwner(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'ClassBody') return isMixin(n.parent) ? undefined : n.parent;
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') {
      const p = n.parent;
      if (p?.type === 'MethodDefinition' && p.value === n) continue;
      // A plain function, or an object literal's method (which may be mixed into a class).
      return undefined;
    }
  }
  return undefined;
}

/** `(Base) => class extends Base { ... }`: a class that extends whatever it is applied to. */
function isMixin(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  const base = cls.superClass && unwrap(cls.superClass);
  if (base?.type !== 'Identifier') return false;
  for (let n: Node | undefined = cls.parent; n; n = n.parent) {
    if (isFunction(n) && n.params.some((p) => patternNames(p).includes(base.name))) return true;
  }
  return false;
}

/** Classes of the file joined with those they extend (by name, within the file): each class's family number. */
function classFamilies(ast: TSESTree.Program): Map<Node, number> {
  const classes: (TSESTree.ClassDeclaration | TSESTree.ClassExpression)[] = [];
  const byName = new Map<string, number[]>();
  visit(ast, (n) => {
    if (n.type !== 'ClassDeclaration' && n.type !== 'ClassExpression') return;
    const name = n.id?.name ?? (n.parent?.type === 'VariableDeclarator' && n.parent.id.type === 'Identifier' ? n.parent.id.name : undefined);
    classes.push(n);
    if (name) byName.set(name, [...(byName.get(name) ?? []), classes.length - 1]);
  });
  const root = classes.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  classes.forEach((c, i) => {
    const base = c.superClass && unwrap(c.superClass);
    if (base?.type !== 'Identifier') return;
    for (const j of byName.get(base.name) ?? []) root[find(i)] = find(j);
  });
  const out = new Map<Node, number>();
  classes.forEach((c, i) => out.set(c, find(i)));
  return out;
}

/** Whether two `this` owners may be the same object (an unknown owner may be anything). */
function sameThis(a: Node | undefined, b: Node | undefined, families: () => Map<Node, number>): boolean {
  if (!a || !b || a === b) return true;
  const fa = families().get(a);
  const fb = families().get(b);
  return fa !== undefined && fa === fb;
}

export function checkTimerOrListenerLeak(ctx: TsRuleContext): void {
  if (isDeclarationFile(ctx.filePath)) return;
  const types = new LazyTypes(ctx);
  const removals: Removal[] = [];
  const clears: Clear[] = [];
  const calls: TSESTree.CallExpression[] = [];
  visit(ctx.ast, (n) => {
    if (n.type === 'NewExpression') {
      if (n.arguments.length) calls.push(n as unknown as TSESTree.CallExpression);
      return;
    }
    if (n.type !== 'CallExpression') return;
    calls.push(n);
    const callee = unwrap(n.callee);
    const method = methodName(n);
    if (callee.type === 'MemberExpression' && method === 'removeListener' && extensionEventCall(ctx, n, 'removeListener')) {
      // `chrome.tabs.onUpdated.removeListener(fn)`: that function, from that event object.
      const removed = unwrap(n.arguments[0] as Node);
      removals.push({
        target: normalized(ctx, callee.object),
        last: lastSegment(ctx, callee.object),
        event: undefined,
        clearsAll: false,
        viaThis: false,
        inClass: enclosingClass(n),
        handler: removed.type === 'Identifier' ? removed.name : undefined,
        at: n,
      });
    } else if (callee.type === 'MemberExpression' && method && REMOVE.has(method)) {
      const eventArg = n.arguments[0];
      removals.push({
        target: normalized(ctx, callee.object),
        last: lastSegment(ctx, callee.object),
        event: stringValue(eventArg),
        pattern: eventArg?.type === 'TemplateLiteral' && eventArg.expressions.length > 0 ? templatePattern(eventArg) : undefined,
        clearsAll: method === 'removeAllListeners' || n.arguments.length < 2,
        viaThis: rootedAtThis(callee.object),
        inClass: enclosingClass(n),
        handler: n.arguments[1] && unwrap(n.arguments[1] as Node).type === 'Identifier' ? (unwrap(n.arguments[1] as Node) as TSESTree.Identifier).name : undefined,
        at: n,
      });
    }
    const fname = callee.type === 'Identifier' ? callee.name : method;
    if ((fname === 'clearInterval' || fname === 'clearTimeout') && n.arguments[0] && n.arguments[0].type !== 'SpreadElement') {
      const arg = unwrap(n.arguments[0]);
      const owner = arg.type === 'MemberExpression' && unwrap(arg.object).type === 'ThisExpression' ? thisOwner(arg) : undefined;
      clears.push({ last: lastSegment(ctx, n.arguments[0]), text: normalized(ctx, n.arguments[0]), owner, at: n });
    }
  });
  let topLevel: Set<string> | undefined;
  let families: Map<Node, number> | undefined;
  const fnDeclared = new Map<FunctionNode, Set<string>>();
  // Set-up code of a component or a subscription (a React effect, Vue's onMounted, Angular's
  // ngOnInit, a Svelte store's start function, an Observable's subscribe function): judged by
  // what undoes it, before the per-call checks (which then leave its calls alone).
  const judged = checkSetupScopes(ctx, setupScopes(ctx, calls), () => (topLevel ??= topLevelNames(ctx.ast)), removals, clears, types);
  for (const call of calls) {
    if (judged.has(call) || (call as Node).type !== 'CallExpression') continue;
    const interval = isGlobalSetInterval(ctx, call);
    if (interval) {
      checkInterval(ctx, call, clears, () => (families ??= classFamilies(ctx.ast)));
      continue;
    }
    const method = methodName(call);
    if (!method) continue;
    const subscription = subscriptionCall(ctx, call, () => (topLevel ??= topLevelNames(ctx.ast)), false);
    if (subscription) {
      checkSubscription(ctx, call, subscription, removals, types);
      continue;
    }
    if (!REGISTER.has(method)) continue;
    topLevel ??= topLevelNames(ctx.ast);
    checkListener(ctx, call, method, removals, types, topLevel, fnDeclared);
  }
}

/** React's effect hooks: what they run may return a clean-up, which React calls on unmount. */
const REACT_EFFECTS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);
/** Globals that outlive every component. */
const PAGE_GLOBALS = new Set(['window', 'document', 'globalThis', 'self', 'navigator', 'screen', 'visualViewport']);

/** Calls that run a callback once, on the spot or shortly after. */
const ONCE_CALLBACK_CALLEES = new Set(['runOutsideAngular', 'run', 'then', 'nextTick', 'setTimeout', 'queueMicrotask', 'requestAnimationFrame', 'requestIdleCallback']);

/** A function given to one of those calls (not a listener or an interval's callback, which run again). */
function runOnceCallback(fn: Node): boolean {
  const { node, parent } = outerParent(fn);
  if (parent?.type !== 'CallExpression' || !parent.arguments.includes(node as TSESTree.CallExpressionArgument)) return false;
  const callee = unwrap(parent.callee);
  const name = callee.type === 'Identifier' ? callee.name : methodName(parent);
  return !!name && ONCE_CALLBACK_CALLEES.has(name);
}

/** Code that sets something up for the life of a component or a subscription, and how it is undone. */
interface SetupScope {
  fn: FunctionNode;
  /** `in a React effect`, `in Vue's onMounted()`. */
  where: string;
  /** What ends the life: `the component unmounts`. */
  end: string;
  /** What runs it again: `mount`, `subscription`. */
  again: string;
  /** Whether a function it returns is called at that end (a React effect's clean-up). */
  returnsCleanup: boolean;
  /** The clean-up is the `destroy` method of the object it returns (a Svelte action). */
  returnsDestroy?: boolean;
  /** What it returns is never called (an async `onMount`'s clean-up): a clear written there undoes nothing. */
  ignoresReturn?: boolean;
  /** Functions that register a clean-up when called with one (a Vue watcher's `onCleanup`). */
  cleanupRegistrars?: Set<string>;
  /** How to undo it, for the message. */
  advice: (undo: string) => string;
}

const VUE_SETUP_HOOKS = new Set(['onMounted', 'onBeforeMount', 'onActivated']);
const VUE_WATCHERS = new Set(['watch', 'watchEffect', 'watchPostEffect', 'watchSyncEffect']);
/** A Vue composable's name: `useOnline`, `useWindowSize`. */
const COMPOSABLE = /^use[A-Z0-9]/;
const ANGULAR_INIT_HOOKS = new Set(['ngOnInit', 'ngAfterViewInit', 'ngAfterContentInit']);
/** Ionic's page hooks that run on every visit of a page (Angular methods, React hooks). */
const IONIC_ENTER_METHODS = new Set(['ionViewWillEnter', 'ionViewDidEnter']);
const IONIC_ENTER_HOOKS = new Set(['useIonViewWillEnter', 'useIonViewDidEnter']);
/** React Navigation's `useFocusEffect`, also re-exported by Expo Router. */
const FOCUS_EFFECT_MODULES = new Set(['@react-navigation/native', '@react-navigation/core', 'expo-router']);
const CUSTOM_ELEMENT_BASES = /^(HTMLElement|LitElement|[\w$]+\.HTMLElement)$/;

/**
 * The set-up scopes of the file: React's effects, Svelte's `onMount` and a `readable`/`writable`
 * store's start function, Vue's `onMounted`/`onBeforeMount`/`onActivated`, the subscribe
 * function of an Observable (rxjs's `new Observable(fn)`, tRPC's `observable(fn)`), Angular's
 * `ngOnInit`/`ngAfterViewInit` of a component or directive, and a custom element's
 * `connectedCallback()`: each runs again for every mount, subscription or insertion.
 */
function setupScopes(ctx: TsRuleContext, calls: TSESTree.CallExpression[]): SetupScope[] {
  const scopes: SetupScope[] = [];
  const component = (hook: string, returns: boolean): Omit<SetupScope, 'fn'> => ({
    where: `in ${hook}`,
    end: 'the component unmounts',
    again: 'mount',
    returnsCleanup: returns,
    advice: (undo) => (returns ? `Return a function that ${undo}` : `Undo it when the component unmounts (a function that ${undo})`),
  });
  // Most files name none of these hooks: no import lookups for their calls.
  const hooks = /Effect|effect|onMount|onBeforeMount|onActivated|readable|writable|bservable|watch|useIonView/.test(ctx.text);
  for (const call of hooks ? calls : []) {
    const callee = unwrap(call.callee);
    // Svelte 5's `$effect(fn)` and `$effect.pre(fn)` (runes: globals, no import): run again whenever
    // what they read changes, and once per component (or per `$effect.root`); the function they
    // return is the clean-up. An async one's clean-up is never called (misused-promise's case).
    const rune = svelteEffectRune(ctx, callee);
    if (rune && (call as Node).type === 'CallExpression' && call.arguments[0] && isFunction(unwrap(call.arguments[0]))) {
      const fn = unwrap(call.arguments[0]) as FunctionNode;
      scopes.push({
        fn,
        where: `in Svelte's ${rune}()`,
        end: 'the effect runs again or its component is destroyed',
        again: 'run',
        returnsCleanup: !fn.async,
        ignoresReturn: fn.async,
        advice: (undo) => (fn.async ? `Make the effect synchronous and return a function that ${undo} (start the async work inside it)` : `Return a function that ${undo}`),
      });
      continue;
    }
    const member = callee.type === 'Identifier' || callee.type === 'MemberExpression' ? ctx.imports.resolve(callee) : undefined;
    if (!member) continue;
    const name = member.path[member.path.length - 1] ?? '';
    let arg: Node | undefined;
    let kind: Omit<SetupScope, 'fn'> | undefined;
    if ((call as Node).type === 'NewExpression') {
      if (member.module === 'rxjs' && name === 'Observable') {
        arg = call.arguments[0];
        kind = { where: 'in an Observable\'s subscribe function', end: 'the subscriber unsubscribes', again: 'subscription', returnsCleanup: true, advice: (undo) => `Return a teardown that ${undo}` };
      }
    } else if (member.module === 'react' && REACT_EFFECTS.has(name)) {
      arg = call.arguments[0];
      kind = component('a React effect', true);
      if (arg && isFunction(arg) && arg.async) continue; // misused-promise's case
    } else if (FOCUS_EFFECT_MODULES.has(member.module) && name === 'useFocusEffect') {
      // `useFocusEffect(useCallback(() => { ...; return () => ...; }, deps))`: runs on every focus
      // of the screen, and its clean-up when the screen loses focus.
      arg = call.arguments[0];
      const inner = arg ? unwrap(arg) : undefined;
      if (inner?.type === 'CallExpression' && inner.arguments[0]) {
        const hook = ctx.imports.resolve(unwrap(inner.callee));
        if (hook?.module === 'react' && hook.path[hook.path.length - 1] === 'useCallback') arg = inner.arguments[0];
      }
      kind = { where: 'in a focus effect (useFocusEffect)', end: 'the screen loses focus', again: 'focus', returnsCleanup: true, advice: (undo) => `Return a function that ${undo}` };
      if (arg && isFunction(arg) && arg.async) continue; // misused-promise's case
    } else if (member.module === '@ionic/react' && IONIC_ENTER_HOOKS.has(name)) {
      // Ionic keeps pages alive in its stack: an enter hook runs on every visit of the page.
      arg = call.arguments[0];
      kind = { where: `in ${name}()`, end: 'the page is left', again: 'visit', returnsCleanup: false, advice: (undo) => `Undo it in useIonViewWillLeave() (a function that ${undo})` };
    } else if (member.module === 'svelte' && name === 'onMount') {
      arg = call.arguments[0];
      const async = !!(arg && isFunction(arg) && arg.async);
      kind = { ...component('Svelte\'s onMount()', !async), ignoresReturn: async };
    } else if (member.module === 'svelte/store' && (name === 'readable' || name === 'writable')) {
      arg = call.arguments[1];
      kind = { where: 'in the start function of a Svelte store', end: 'its last subscriber leaves', again: 'first subscription', returnsCleanup: true, advice: (undo) => `Return a stop function that ${undo}` };
    } else if (member.module === 'vue' && VUE_SETUP_HOOKS.has(name)) {
      arg = call.arguments[0];
      kind = { ...component(`Vue's ${name}()`, false), advice: (undo) => `Undo it in onBeforeUnmount()/onUnmounted() (a function that ${undo})` };
    } else if (member.module === 'vue' && VUE_WATCHERS.has(name)) {
      // `watchEffect((onCleanup) => ...)`, `watch(src, (value, old, onCleanup) => ...)`: runs again
      // on every change; what it sets up is undone through `onCleanup` (or `onWatcherCleanup`).
      arg = name === 'watch' ? call.arguments[1] : call.arguments[0];
      const index = name === 'watch' ? 2 : 0;
      const param = arg && isFunction(arg) ? arg.params[index] : undefined;
      const registrars = new Set(['onWatcherCleanup']);
      if (param?.type === 'Identifier') registrars.add(param.name);
      kind = { where: `in a Vue ${name}() callback`, end: 'the watcher runs again', again: 'run', returnsCleanup: false, cleanupRegistrars: registrars, advice: (undo) => `Register a clean-up that ${undo} with onCleanup()` };
    } else if (member.module === '@angular/core' && name === 'effect') {
      // Angular's `effect((onCleanup) => ...)`: runs again whenever a signal it reads changes, and
      // for every instance of the component that makes it.
      arg = call.arguments[0];
      const param = arg && isFunction(arg) ? arg.params[0] : undefined;
      const registrars = new Set<string>();
      if (param?.type === 'Identifier') registrars.add(param.name);
      kind = { where: 'in an Angular effect()', end: 'the effect runs again or its component is destroyed', again: 'run', returnsCleanup: false, cleanupRegistrars: registrars, advice: (undo) => `Register a clean-up that ${undo} with the effect's onCleanup()` };
    } else if (member.module === '@trpc/server/observable' && name === 'observable') {
      arg = call.arguments[0];
      kind = { where: 'in an observable\'s subscribe function', end: 'the subscriber unsubscribes', again: 'subscription', returnsCleanup: true, advice: (undo) => `Return a teardown that ${undo}` };
    }
    if (!kind || !arg || (arg.type !== 'ArrowFunctionExpression' && arg.type !== 'FunctionExpression')) continue;
    scopes.push({ fn: arg, ...kind });
  }
  // A Vue composable (`export function useOnline()` in a file importing `vue`): its body runs in
  // the set-up of every component that calls it.
  if (ctx.imports.usesModule('vue')) {
    for (let st of ctx.ast.body) {
      if ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration) st = st.declaration as TSESTree.ProgramStatement;
      const fns: FunctionNode[] = [];
      if (st.type === 'FunctionDeclaration' && st.id && COMPOSABLE.test(st.id.name)) fns.push(st);
      else if (st.type === 'VariableDeclaration') {
        for (const d of st.declarations) {
          const init = d.init ? unwrap(d.init) : undefined;
          if (d.id.type === 'Identifier' && COMPOSABLE.test(d.id.name) && init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) fns.push(init);
        }
      }
      for (const fn of fns) {
        scopes.push({
          fn,
          where: `in the composable '${functionDisplayName(fn)}'`,
          end: 'the component using it unmounts',
          again: 'component using it',
          returnsCleanup: false,
          advice: (undo) => `Undo it in onScopeDispose() or onUnmounted() (a function that ${undo})`,
        });
      }
    }
  }
  // A Svelte action (`const tooltip: Action<HTMLElement, string> = (node, text) => ...`, `Action`
  // from `svelte/action`): runs for every element it is used on; the `destroy()` of the object it
  // returns is its clean-up.
  if (ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && st.source.value === 'svelte/action')) {
    visit(ctx.ast, (n) => {
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || !n.init || !n.id.typeAnnotation) return;
      const t = n.id.typeAnnotation.typeAnnotation;
      const typeName = t.type === 'TSTypeReference' && t.typeName.type === 'Identifier' ? t.typeName : undefined;
      const init = unwrap(n.init);
      if (!typeName || !isFunction(init)) return;
      const m = ctx.imports.resolve(typeName as unknown as Node);
      if (m?.module !== 'svelte/action' || m.path.join('.') !== 'Action') return;
      scopes.push({ fn: init, where: `in the Svelte action '${n.id.name}'`, end: 'its element is removed', again: 'element it is used on', returnsCleanup: false, returnsDestroy: true, ignoresReturn: init.async, advice: (undo) => `Undo it in the destroy() it returns (a function that ${undo})` });
    });
  }
  // Angular's init hooks of a component or directive, a custom element's connectedCallback().
  if (!/@(Component|Directive)\b|connectedCallback/.test(ctx.text)) return scopes;
  visit(ctx.ast, (n) => {
    if (n.type !== 'ClassDeclaration' && n.type !== 'ClassExpression') return;
    const decorated = (n.decorators ?? []).some((d) => {
      const e = unwrap(d.expression);
      const c = e.type === 'CallExpression' ? unwrap(e.callee) : e;
      return c.type === 'Identifier' && (c.name === 'Component' || c.name === 'Directive');
    });
    const element = !!n.superClass && CUSTOM_ELEMENT_BASES.test(normalized(ctx, n.superClass));
    if (!decorated && !element) return;
    // The root component (`AppComponent`, selector `app-root`) is made once, when the app starts.
    const root = decorated && rootComponent(n);
    for (const m of n.body.body) {
      if (m.type !== 'MethodDefinition' || m.static || m.value.type !== 'FunctionExpression') continue;
      if (m.kind === 'constructor') {
        // A component's or directive's constructor runs for every instance, like its ngOnInit.
        if (decorated && !root) scopes.push({ fn: m.value, where: 'in the constructor of an Angular component or directive', end: 'it is destroyed', again: 'instance', returnsCleanup: false, advice: (undo) => `Undo it in ngOnDestroy() or with DestroyRef.onDestroy() (a function that ${undo})` });
        continue;
      }
      if (m.kind !== 'method') continue;
      const name = keyName(m) ?? '';
      if (decorated && ANGULAR_INIT_HOOKS.has(name)) {
        if (root) continue;
        scopes.push({ fn: m.value, where: `in Angular's ${name}()`, end: 'the component is destroyed', again: 'instance', returnsCleanup: false, advice: (undo) => `Undo it in ngOnDestroy() (a method that ${undo})` });
      } else if (decorated && IONIC_ENTER_METHODS.has(name)) {
        scopes.push({ fn: m.value, where: `in Ionic's ${name}()`, end: 'the page is left', again: 'visit', returnsCleanup: false, advice: (undo) => `Undo it in ionViewWillLeave() (a method that ${undo})` });
      } else if (element && name === 'connectedCallback') {
        scopes.push({ fn: m.value, where: 'in connectedCallback()', end: 'the element is removed', again: 'insertion', returnsCleanup: false, advice: (undo) => `Undo it in disconnectedCallback() (a method that ${undo})` });
      }
    }
  });
  return scopes;
}

/** An Angular application's root component: a class named `AppComponent`, or `@Component({ selector: 'app-root' })`. */
function rootComponent(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  if (cls.id?.name === 'AppComponent') return true;
  return (cls.decorators ?? []).some((d) => {
    const e = unwrap(d.expression);
    const options = e.type === 'CallExpression' ? e.arguments[0] : undefined;
    return options?.type === 'ObjectExpression' && options.properties.some((p) => p.type === 'Property' && keyName(p) === 'selector' && stringValue(p.value) === 'app-root');
  });
}

/**
 * A set-up scope that starts an interval or adds a listener to something that outlives it (the
 * window, the document, a module-level emitter or store) and does not undo it: the interval or
 * listener stays after the component unmounts (or the subscription ends), and every mount adds
 * another. Returns the calls judged here.
 */
function checkSetupScopes(ctx: TsRuleContext, scopes: SetupScope[], topLevel: () => Set<string>, removals: Removal[], clears: Clear[], types: LazyTypes): Set<Node> {
  const judged = new Set<Node>();
  for (const scope of scopes) {
    const effect = scope.fn;
    const body = effect.body;
    // The clean-ups the scope returns: judged only when each is written in place.
    const cleanups: Node[] = [];
    if (scope.returnsCleanup && body.type === 'BlockStatement') {
      visit(body, (n) => {
        if (n.type === 'ReturnStatement' && n.argument) cleanups.push(unwrap(n.argument));
      }, isFunction);
      if (cleanups.some((c) => !isFunction(c))) continue;
    }
    if (scope.returnsDestroy && !scope.ignoresReturn) {
      // `return { update(p) {...}, destroy() {...} }`: the destroy method, written in place.
      const returned: Node[] = [];
      if (body.type === 'BlockStatement') {
        visit(body, (n) => {
          if (n.type === 'ReturnStatement' && n.argument) returned.push(unwrap(n.argument));
        }, isFunction);
      } else returned.push(unwrap(body));
      if (returned.some((r) => r.type !== 'ObjectExpression')) continue;
      // A spread, or a `destroy` not written in place (`destroy: teardown`), cannot be seen through.
      const opaque = (returned as TSESTree.ObjectExpression[]).some((r) =>
        r.properties.some((p) => p.type === 'SpreadElement' || (keyName(p) === 'destroy' && !isFunction(unwrap(p.value as Node)))),
      );
      if (opaque) continue;
      for (const r of returned as TSESTree.ObjectExpression[]) {
        for (const p of r.properties) if (p.type === 'Property' && keyName(p) === 'destroy') cleanups.push(unwrap(p.value as Node));
      }
    }
    if (scope.cleanupRegistrars) {
      visit(body, (n) => {
        if (n.type !== 'CallExpression' || !n.arguments[0]) return;
        const c = unwrap(n.callee);
        if (c.type === 'Identifier' && scope.cleanupRegistrars!.has(c.name)) cleanups.push(unwrap(n.arguments[0] as Node));
      }, (n) => isFunction(n) && !runOnceCallback(n));
      if (cleanups.some((c) => !isFunction(c))) continue;
    }
    const own: TSESTree.CallExpression[] = [];
    // The scope's own calls, and those of a callback it runs once, now or a little later
    // (`this.zone.runOutsideAngular(() => ...)`, `load().then(() => ...)`, `nextTick(() => ...)`).
    visit(body, (n) => {
      if (n.type === 'CallExpression') own.push(n);
    }, (n) => isFunction(n) && !runOnceCallback(n));
    for (const reg of own) {
      // A subscription whose only undo is the handle it returns (`NetInfo.addEventListener(fn)`,
      // `Location.watchPositionAsync(...)`, `store.subscribe(fn)`).
      const subscription = subscriptionCall(ctx, reg, topLevel, true);
      const what = subscription ?? effectRegistration(ctx, reg, topLevel);
      if (!what) continue;
      judged.add(reg);
      if (guardedByFlag(ctx, reg)) continue;
      const interval = isGlobalSetInterval(ctx, reg);
      // The handle it returned is kept and used (`const sub = AppState.addEventListener(...)`,
      // then `sub.remove()` in the clean-up).
      if (!interval && registrationUndone(ctx, reg, (unwrap(reg.callee) as TSESTree.MemberExpression).object, types)) continue;
      if (subscription) {
        if (clearedAll(ctx, reg, removals)) continue;
        const dropped = handleDropped(reg);
        ctx.report({
          message: `${what} is set up ${scope.where} and its handle is ${dropped ? 'dropped' : 'never used'}: nothing can undo it, so it stays after ${scope.end}, and every ${scope.again} adds another. ${scope.advice('removes it through the handle the call returns')}`,
          range: ctx.rangeOf(reg),
        });
        continue;
      }
      if (undoneElsewhere(ctx, reg, removals, clears, scope)) continue;
      // `window.addEventListener('storage', syncFromStorage)` with a function of the module: an
      // EventTarget keeps one registration per function, and that one captures no component.
      const regHandler = listenerArgs(ctx, reg).handler;
      const handler = regHandler ? unwrap(regHandler) : undefined;
      if ((methodName(reg) === 'addEventListener' || extensionEventCall(ctx, reg, 'addListener')) && handler?.type === 'Identifier' && topLevel().has(handler.name) && !declaredNames(effect).has(handler.name)) continue;
      if (cleanups.length && cleanupUndoes(ctx, reg, cleanups as FunctionNode[], effect)) continue;
      ctx.report({
        message: cleanups.length
          ? `${what} is set up ${scope.where} whose clean-up does not undo it: it stays after ${scope.end}, and every ${scope.again} adds another. Make the clean-up one that ${interval ? 'clears it too' : 'removes it too'}`
          : `${what} is set up ${scope.where} ${scope.returnsCleanup ? 'that returns no clean-up' : 'and never undone'}: it stays after ${scope.end}, and every ${scope.again} adds another. ${scope.advice(interval ? 'clears it' : 'removes it')}`,
        range: ctx.rangeOf(reg),
      });
    }
    // A connection the scope opens and nothing can close (`const ws = new WebSocket(url)` given only
    // listeners): it stays open after the end, its handlers still run, and every run opens another.
    visit(body, (n) => {
      if (n.type !== 'NewExpression') return;
      const kind = openedConnection(ctx, n);
      if (!kind) return;
      if (OBSERVERS.has(kind)) {
        if (!observerLeft(n)) return;
        ctx.report({
          message: `${/^[AEIOU]/.test(kind) ? 'An' : 'A'} ${kind} is started ${scope.where} ${cleanups.length ? 'whose clean-up does not disconnect it' : scope.returnsCleanup ? 'that returns no clean-up' : 'and never disconnected'}: it keeps observing after ${scope.end}, its callback still runs, and every ${scope.again} adds another. ${cleanups.length ? 'Make the clean-up one that disconnects it too' : scope.advice('disconnects it')}`,
          range: ctx.rangeOf(n),
        });
        return;
      }
      if (connectionKept(n)) return;
      ctx.report({
        message: `${kind === 'EventSource' ? 'An' : 'A'} ${kind} is opened ${scope.where} ${cleanups.length ? 'whose clean-up does not close it' : scope.returnsCleanup ? 'that returns no clean-up' : 'and never closed'}: it stays open after ${scope.end}, its handlers still run, and every ${scope.again} opens another. ${cleanups.length ? 'Make the clean-up one that closes it too' : scope.advice('closes it')}`,
        range: ctx.rangeOf(n),
      });
    }, (n) => isFunction(n) && !runOnceCallback(n));
  }
  return judged;
}

/** The page's observers: each `observe(target)` keeps calling back until `disconnect()` (or `unobserve(target)`). */
const OBSERVERS = new Set(['ResizeObserver', 'IntersectionObserver', 'MutationObserver']);

/**
 * `new WebSocket(url)`, `new EventSource(url)` of the page's globals: a connection held open until
 * closed; `new ResizeObserver(cb)` and the other observers: a watch held until disconnected.
 */
function openedConnection(ctx: TsRuleContext, n: TSESTree.NewExpression): string | undefined {
  const callee = unwrap(n.callee);
  if (callee.type !== 'Identifier' || (callee.name !== 'WebSocket' && callee.name !== 'EventSource' && !OBSERVERS.has(callee.name)) || !isGlobal(ctx, callee)) return undefined;
  return callee.name;
}

/**
 * Whether an observer a set-up scope makes is left observing: made and observed at once
 * (`new ResizeObserver(cb).observe(el);`), or kept in a local that the scope only calls
 * `observe(...)` on, with no `disconnect()`/`unobserve()` in the scope, its clean-up or its
 * callbacks, and not handed on (`observerRef.current = observer`, returned, given to a call). An
 * observer never told to observe watches nothing.
 */
function observerLeft(made: TSESTree.NewExpression): boolean {
  // `new IntersectionObserver(([entry], obs) => { if (entry.isIntersecting) { load(); obs.disconnect(); } })`:
  // a one-shot observer that ends itself.
  const callback = made.arguments[0] && unwrap(made.arguments[0] as Node);
  if (callback && isFunction(callback)) {
    const own = callback.params[1];
    let ends = false;
    if (own?.type === 'Identifier') {
      visit(callback.body, (n) => {
        if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.object.type === 'Identifier' && n.callee.object.name === own.name && /^(disconnect|unobserve)$/.test(propName(n.callee) ?? '')) ends = true;
      });
    }
    if (ends) return false;
  }
  const { parent, node } = outerParent(made);
  if (parent?.type === 'MemberExpression' && parent.object === node && propName(parent) === 'observe') {
    return parent.parent?.type === 'CallExpression' && parent.parent.callee === parent && parent.parent.parent?.type === 'ExpressionStatement';
  }
  if (parent?.type !== 'VariableDeclarator' || parent.init !== node || parent.id.type !== 'Identifier') return false;
  const name = parent.id.name;
  const fn = ownerFunction(made);
  if (!fn) return false;
  let observed = false;
  for (const ref of referencesTo(fn.body, name)) {
    if (ref === parent.id) continue;
    const use = ref.parent;
    if (use?.type !== 'MemberExpression' || use.object !== ref) return false;
    const prop = propName(use);
    const called = use.parent?.type === 'CallExpression' && use.parent.callee === use;
    if (!called || prop !== 'observe') return false;
    observed = true;
  }
  return observed;
}

/**
 * Whether something may close a connection a set-up scope opened: it is closed (`close()`,
 * `terminate()`) in the scope or a function written in it (its clean-up, a handler), or handed on —
 * stored outside a local (`wsRef.current = ws`, `this.ws = new WebSocket(url)`, `setSocket(ws)`),
 * returned, given to a call, assigned again. Only a local that the scope uses to add listeners,
 * set `onmessage`-like handlers, send or read its state is lost when the scope ends.
 */
function connectionKept(made: TSESTree.NewExpression): boolean {
  const { parent, node } = outerParent(made);
  if (parent?.type === 'ExpressionStatement') return false;
  if (parent?.type !== 'VariableDeclarator' || parent.init !== node || parent.id.type !== 'Identifier') return true;
  const name = parent.id.name;
  const fn = ownerFunction(made);
  if (!fn) return true;
  for (const ref of referencesTo(fn.body, name)) {
    if (ref === parent.id) continue;
    const use = ref.parent;
    if (use?.type !== 'MemberExpression' || use.object !== ref) return true;
    const prop = propName(use);
    if (prop === undefined || prop === 'close' || prop === 'terminate') return true;
    const outer = use.parent;
    const called = outer?.type === 'CallExpression' && outer.callee === use;
    const set = outer?.type === 'AssignmentExpression' && outer.left === use;
    // `ws.addEventListener(...)`, `ws.send(...)`, `ws.onmessage = ...`, `ws.readyState`.
    if (!called && !set && outer?.type === 'CallExpression') return true;
  }
  return false;
}

/**
 * Whether an effect's clean-ups undo a listener it added (an interval is judged by its handle, in
 * undoneElsewhere): a removal from the same target for the same event and handler, or any other
 * call on the target (`chart.destroy()`). A call of something the clean-up cannot be seen through
 * (a function not declared in the effect) may undo it too.
 */
function cleanupUndoes(ctx: TsRuleContext, reg: TSESTree.CallExpression, cleanups: FunctionNode[], effect: FunctionNode): boolean {
  if (isGlobalSetInterval(ctx, reg)) return false;
  const callee = unwrap(reg.callee) as TSESTree.MemberExpression;
  const target = normalized(ctx, callee.object);
  const args = listenerArgs(ctx, reg);
  const event = stringValue(args.eventArg);
  const handler = unwrap(args.handler as Node);
  const handlerName = handler.type === 'Identifier' ? handler.name : undefined;
  const extension = !!extensionEventCall(ctx, reg, 'addListener');
  const local = declaredNames(effect);
  const seen = new Set<Node>();
  let undone = false;
  const look = (fn: FunctionNode): void => {
    if (seen.has(fn)) return;
    seen.add(fn);
    visit(fn.body, (n) => {
      if (undone || n.type !== 'CallExpression') return;
      const c = unwrap(n.callee);
      if (c.type === 'Identifier') {
        // `detach()` with `const detach = () => ...` in the effect: looked through.
        const made = local.has(c.name) ? localFunction(effect, c.name) : undefined;
        if (made) look(made);
        else if (!/^(clearInterval|clearTimeout|cancelAnimationFrame|set[A-Z]\w*)$/.test(c.name)) undone = true;
        return;
      }
      if (c.type !== 'MemberExpression' || normalized(ctx, c.object) !== target) return;
      const method = propName(c) ?? '';
      if (!REMOVE.has(method)) {
        undone = true;
        return;
      }
      if (method === 'removeAllListeners' && (n.arguments.length === 0 || stringValue(n.arguments[0]) === event)) undone = true;
      const removedArg = extension ? n.arguments[0] : n.arguments[1];
      const removed = removedArg ? unwrap(removedArg as Node) : undefined;
      const sameEvent = event === undefined || stringValue(n.arguments[0]) === undefined || stringValue(n.arguments[0]) === event;
      if (sameEvent && (!removed || removed.type !== 'Identifier' || handlerName === undefined || removed.name === handlerName)) undone = true;
    });
  };
  for (const cleanup of cleanups) look(cleanup);
  return undone;
}

/** A function declared in `scope` by name: `function detach() {}` or `const detach = () => ...`. */
function localFunction(scope: FunctionNode, name: string): FunctionNode | undefined {
  let found: FunctionNode | undefined;
  visit(scope.body, (n) => {
    if (found) return;
    if (n.type === 'FunctionDeclaration' && n.id?.name === name) found = n;
    else if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && n.init && isFunction(unwrap(n.init))) found = unwrap(n.init) as FunctionNode;
  });
  return found;
}

/**
 * Undone somewhere else in the file (another effect's clean-up, a handler): an interval stored
 * (`timer.current = setInterval(...)`) and cleared by that name, a listener removed from the same
 * target for the same event.
 */
function undoneElsewhere(ctx: TsRuleContext, reg: TSESTree.CallExpression, removals: Removal[], clears: Clear[], scope?: SetupScope): boolean {
  const parent = reg.parent;
  if (isGlobalSetInterval(ctx, reg)) {
    const stored = parent?.type === 'AssignmentExpression' ? parent.left : parent?.type === 'VariableDeclarator' ? parent.id : undefined;
    if (!stored) return false;
    // A handle in a local name is cleared only where that name is declared (another function's
    // `clearInterval(id)` clears its own `id`); a clean-up that is never called clears nothing.
    const local = unwrap(stored).type === 'Identifier' ? declaringFunction(unwrap(stored) as TSESTree.Identifier) : undefined;
    const within = (n: Node, f: Node) => n.range[0] >= f.range[0] && n.range[1] <= f.range[1];
    const ignored: Node[] = [];
    if (scope?.ignoresReturn && scope.fn.body.type === 'BlockStatement') {
      visit(scope.fn.body, (n) => {
        if (n.type === 'ReturnStatement' && n.argument) ignored.push(n.argument);
      }, isFunction);
    }
    return clears.some(
      (c) => (c.text === normalized(ctx, stored) || c.last === lastSegment(ctx, stored)) && (!local || within(c.at, local)) && !ignored.some((r) => within(c.at, r)),
    );
  }
  const callee = unwrap(reg.callee) as TSESTree.MemberExpression;
  const target = normalized(ctx, callee.object);
  const args = listenerArgs(ctx, reg);
  const event = stringValue(args.eventArg);
  // An inline handler, or one declared inside the effect, cannot be named by a removal elsewhere:
  // only clearing every listener of the target undoes it.
  const handler = unwrap(args.handler as Node);
  const effect = ownerFunction(reg);
  const private_ = isFunction(handler) || (handler.type === 'Identifier' && !!effect && declaredNames(effect).has(handler.name));
  // A handler of the function's own, removed by name within it (a composable's `onScopeDispose`).
  const removedWithin = (r: Removal): boolean =>
    !!effect && !!r.at && handler.type === 'Identifier' && r.handler === handler.name && r.at.range[0] >= effect.range[0] && r.at.range[1] <= effect.range[1];
  // A removal naming another handler (`off('join', onJoin)` for `on('leave', onLeave)`) undoes nothing here.
  // A handler local to a function (a composable's `const onLeave = ...`) is removed only from within
  // that function: another function's removal of its own `onLeave` is another listener.
  const home = handler.type === 'Identifier' ? declaringFunction(handler) : undefined;
  const sameHandler = (r: Removal): boolean =>
    !r.handler || handler.type !== 'Identifier' || (r.handler === handler.name && (!home || !r.at || (r.at.range[0] >= home.range[0] && r.at.range[1] <= home.range[1])));
  const regEvent = args.eventArg ? unwrap(args.eventArg) : undefined;
  return removals.some((r) => r.target === target && (r.clearsAll || ((!private_ || removedWithin(r)) && sameHandler(r) && sameEvent(r, event, regEvent))));
}

/**
 * Whether a removal may name the event a listener was added for: literal names must agree, a
 * template literal (`` `leave:${room}` ``) matches by its fixed parts, a variable may be anything.
 */
function sameEvent(r: Removal, event: string | undefined, regEvent: Node | undefined): boolean {
  if (event !== undefined) return removalEventMatches(r, event);
  if (regEvent?.type !== 'TemplateLiteral' || regEvent.expressions.length === 0) return true;
  if (r.event !== undefined) return templatePattern(regEvent).test(r.event);
  const removed = r.at?.type === 'CallExpression' && r.at.arguments[0] ? unwrap(r.at.arguments[0] as Node) : undefined;
  if (removed?.type !== 'TemplateLiteral') return true;
  const fixed = (t: TSESTree.TemplateLiteral) => t.quasis.map((q) => q.value.cooked ?? q.value.raw).join('\u0000');
  return fixed(removed) === fixed(regEvent);
}

/** The function that declares a local name used at `id` (a parameter or a variable of it), if any. */
function declaringFunction(id: TSESTree.Identifier): FunctionNode | undefined {
  for (let f = ownerFunction(id); f; f = ownerFunction(f)) {
    if (f.params.some((p) => patternNames(p).includes(id.name)) || declaredNames(f).has(id.name)) return f;
  }
  return undefined;
}

/**
 * Svelte 5's effect runes, `$effect(fn)` and `$effect.pre(fn)`: globals the compiler provides (not
 * `$effect.root`, which runs its function once and hands back the stop function).
 */
function svelteEffectRune(ctx: TsRuleContext, callee: Node): string | undefined {
  if (callee.type === 'Identifier' && callee.name === '$effect' && isGlobal(ctx, callee)) return '$effect';
  if (callee.type === 'MemberExpression' && propName(callee) === 'pre') {
    const obj = unwrap(callee.object);
    if (obj.type === 'Identifier' && obj.name === '$effect' && isGlobal(ctx, obj)) return '$effect.pre';
  }
  return undefined;
}

/** Watches of mobile and browser APIs that return a handle (a subscription or an id) to stop them. */
const SUBSCRIPTION_WATCHES = new Set(['watchPositionAsync', 'watchHeadingAsync', 'watchStepCount', 'watchPosition', 'watchHeading']);
/**
 * viem's watch actions on a client (`publicClient.watchContractEvent({ address, abi, onLogs })`): each
 * polls or subscribes until the function it returns is called.
 */
const VIEM_WATCHES = new Set(['watchContractEvent', 'watchEvent', 'watchBlocks', 'watchBlockNumber', 'watchPendingTransactions']);

/** The one argument of a viem watch: an object literal with its callback (`onLogs`, `onBlock`, ...). */
function viemWatchArguments(args: TSESTree.CallExpressionArgument[]): boolean {
  if (args.length !== 1) return false;
  const options = unwrap(args[0] as Node);
  if (options.type !== 'ObjectExpression') return false;
  return options.properties.some((p) => p.type === 'Property' && /^on(Logs|Block|BlockNumber|Transactions)$/.test(keyName(p) ?? ''));
}

/**
 * A registration on a long-lived object (imported, module-level, or a page global) that can only be
 * undone through the handle it returns: a listener added without an event name
 * (`NetInfo.addEventListener(fn)`, expo-sensors' `Accelerometer.addListener(fn)`, expo-notifications'
 * `addNotificationReceivedListener(fn)`), a position or step watch (`Location.watchPositionAsync(...)`,
 * Capacitor's `Geolocation.watchPosition(...)`, `navigator.geolocation.watchPosition(...)`), and, in
 * set-up scopes, `store.subscribe(fn)`. Returns what it sets up, for the message.
 */
function subscriptionCall(ctx: TsRuleContext, call: TSESTree.CallExpression, topLevel: () => Set<string>, inSetup: boolean): string | undefined {
  if ((call as Node).type !== 'CallExpression') return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propName(callee);
  const args = call.arguments;
  if (!method || args.some((a) => a.type === 'SpreadElement')) return undefined;
  const callback = (a: Node | undefined): boolean => {
    const e = a ? unwrap(a) : undefined;
    return !!e && (isFunction(e) || e.type === 'Identifier' || e.type === 'MemberExpression');
  };
  let kind: 'listener' | 'watch' | undefined;
  // Not an extension event's `addListener(fn)`: it returns nothing, `removeListener(fn)` undoes it.
  if (/^add\w*Listener$/.test(method) && args.length === 1 && callback(args[0]) && !extensionEventCall(ctx, call, 'addListener')) kind = 'listener';
  // `watchPositionAsync(options, callback)`, `navigator.geolocation.watchPosition(onPosition, onError, options)`.
  else if (SUBSCRIPTION_WATCHES.has(method) && args.length >= 1 && args.length <= 3 && args.some((a) => isFunction(unwrap(a)) || unwrap(a).type === 'Identifier')) kind = 'watch';
  else if (VIEM_WATCHES.has(method) && viemWatchArguments(args)) kind = 'watch';
  else if (inSetup && method === 'subscribe' && args.length >= 1 && args.length <= 2 && callback(args[0])) kind = 'listener';
  // `interval(1000).subscribe(fn)`, also with an observer object or nothing (`.pipe(tap(...)).subscribe()`).
  if (inSetup && method === 'subscribe' && args.length <= 3) {
    const source = endlessRxjsSource(ctx, callee.object, topLevel);
    if (source) return `A subscription to '${source}'`;
  }
  if (!kind) return undefined;
  const root = chainRoot(callee.object);
  if (!root || root.type !== 'Identifier') return undefined;
  if (!((PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) || topLevel().has(root.name))) return undefined;
  const object = ctx.text.slice(callee.object.range[0], callee.object.range[1]);
  return kind === 'watch' ? `A '${method}()' watch on '${object}'` : `A listener on '${object}' (${method}())`;
}

/** rxjs operators that end a subscription by themselves (after a count, on a notifier, on destroy). */
const COMPLETING_OPERATORS = new Set(['take', 'first', 'takeUntil', 'takeUntilDestroyed', 'takeWhile', 'single', 'last', 'timeout', 'elementAt', 'find', 'findIndex']);

/**
 * An rxjs observable that never completes and holds a timer or a listener on something that
 * outlives the component: `interval(ms)`, `timer(delay, period)`, `fromEvent(window, 'resize')`
 * (a page global, a module-level or imported target), through `.pipe(...)` with no operator that
 * ends it (`take(1)`, `takeUntil(this.destroy$)`, `takeUntilDestroyed(...)`). Returns its text.
 */
function endlessRxjsSource(ctx: TsRuleContext, observable: Node, topLevel: () => Set<string>): string | undefined {
  let e = unwrap(observable);
  while (e.type === 'CallExpression' && methodName(e) === 'pipe') {
    for (const op of e.arguments) {
      const o = unwrap(op as Node);
      const c = o.type === 'CallExpression' ? unwrap(o.callee) : undefined;
      const name = c?.type === 'Identifier' ? c.name : c?.type === 'MemberExpression' ? propName(c) : undefined;
      if (!name || COMPLETING_OPERATORS.has(name)) return undefined;
    }
    e = unwrap((unwrap(e.callee) as TSESTree.MemberExpression).object);
  }
  // Angular's `this.router.events`: the router lives as long as the application and its events never complete.
  if (e.type === 'MemberExpression' && propName(e) === 'events' && /^router$/i.test(lastSegment(ctx, e.object)) && ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && st.source.value === '@angular/router')) {
    return ctx.text.slice(e.range[0], e.range[1]);
  }
  if (rootServiceSubject(ctx, e)) return ctx.text.slice(e.range[0], e.range[1]);
  if (e.type !== 'CallExpression') return undefined;
  const m = ctx.imports.resolve(unwrap(e.callee));
  // Dexie's `liveQuery(() => ...)`: it runs its query again on every change of the database, and never completes.
  if (m?.module === 'dexie' && m.path.length === 1 && m.path[0] === 'liveQuery') return ctx.text.slice(e.range[0], Math.min(e.range[1], e.range[0] + 40));
  if (m?.module !== 'rxjs' || m.path.length !== 1) return undefined;
  const name = m.path[0];
  const args = e.arguments;
  let endless = false;
  if (name === 'interval') endless = true;
  else if (name === 'timer') endless = args.length >= 2;
  else if (name === 'fromEvent' && args[0]) {
    const root = chainRoot(args[0] as Node);
    endless = !!root && root.type === 'Identifier' && ((PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) || topLevel().has(root.name));
  }
  return endless ? ctx.text.slice(e.range[0], e.range[1]) : undefined;
}

const SUBJECTS = /^(Subject|BehaviorSubject|ReplaySubject)$/;

/** The file's type information; undefined where there is none or the checker fails on the file. */
function typesIfAny(ctx: TsRuleContext): TypeServices | undefined {
  try {
    return ctx.types();
  } catch {
    return undefined;
  }
}

/**
 * With types: the stream of a root Angular service of the project (`@Injectable({ providedIn:
 * 'root' })`, made once for the application) that is one of its subjects — a field made with `new
 * Subject()`/`BehaviorSubject`/`ReplaySubject`, read directly (`this.cart.items$`), through a field
 * or getter that gives it (`items$ = this.items.asObservable()`), or returned by a method
 * (`connect() { ...; return this.messages$.asObservable(); }`). Nothing completes it while the
 * application runs.
 */
function rootServiceSubject(ctx: TsRuleContext, e: Node): boolean {
  if (e.type !== 'CallExpression' && e.type !== 'MemberExpression') return false;
  const s = typesIfAny(ctx);
  const t = s?.tsNodeFor(e);
  if (!s || !t) return false;
  const checker = s.checker;
  let declaration: ts.Declaration | undefined;
  try {
    if (ts.isCallExpression(t)) declaration = checker.getResolvedSignature(t)?.declaration as ts.Declaration | undefined;
    else if (ts.isPropertyAccessExpression(t)) declaration = checker.getSymbolAtLocation(t)?.valueDeclaration;
  } catch {
    return false;
  }
  const cls = declaration?.parent;
  if (!declaration || !cls || !ts.isClassDeclaration(cls) || !rootInjectable(cls)) return false;
  /** `this.x$`, `this.x$.asObservable()`, `this.x$.pipe(...)`, with `x$` a subject field of the class (or a field giving one). */
  const givesSubject = (expr: ts.Expression, depth: number): boolean => {
    let x = expr;
    while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x)) x = x.expression;
    while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && /^(asObservable|pipe)$/.test(x.expression.name.text)) x = x.expression.expression;
    if (!ts.isPropertyAccessExpression(x) || x.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
    const field = cls.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === (x as ts.PropertyAccessExpression).name.text);
    return !!field && subjectMember(field, depth + 1);
  };
  const subjectMember = (member: ts.ClassElement, depth: number): boolean => {
    if (depth > 3) return false;
    if (ts.isPropertyDeclaration(member) && member.initializer) {
      const init = member.initializer;
      if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && SUBJECTS.test(init.expression.text)) return true;
      return givesSubject(init, depth);
    }
    if ((ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member)) && member.body) {
      const returns: ts.Expression[] = [];
      const walk = (n: ts.Node): void => {
        if (ts.isFunctionLike(n) && n !== member) return;
        if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
        ts.forEachChild(n, walk);
      };
      walk(member.body);
      return returns.length > 0 && returns.every((r) => givesSubject(r, depth));
    }
    return false;
  };
  return subjectMember(declaration as ts.ClassElement, 0);
}

/** `@Injectable({ providedIn: 'root' })`: one instance for the whole application. */
function rootInjectable(cls: ts.ClassDeclaration): boolean {
  return (ts.getDecorators(cls) ?? []).some((d) => {
    const e = d.expression;
    if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'Injectable') return false;
    const options = e.arguments[0];
    return !!options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'providedIn' && ts.isStringLiteral(p.initializer) && p.initializer.text === 'root');
  });
}

/** The call's value is thrown away: a statement of its own (also awaited or voided). */
function handleDropped(call: Node): boolean {
  let { node, parent } = outerParent(call);
  if (parent?.type === 'AwaitExpression' || (parent?.type === 'UnaryExpression' && parent.operator === 'void')) ({ node, parent } = outerParent(parent));
  return parent?.type === 'ExpressionStatement' && parent.expression === node;
}

/** A `removeAllListeners()` on the registration's target somewhere in the file (expo-sensors' `Accelerometer.removeAllListeners()`). */
function clearedAll(ctx: TsRuleContext, call: TSESTree.CallExpression, removals: Removal[]): boolean {
  const target = normalized(ctx, (unwrap(call.callee) as TSESTree.MemberExpression).object);
  return removals.some((r) => r.target === target && r.clearsAll && r.event === undefined);
}

/**
 * A subscription made on every call of an async function (or on every loop turn) whose handle is
 * dropped or never used: it can never be undone.
 */
function checkSubscription(ctx: TsRuleContext, call: TSESTree.CallExpression, what: string, removals: Removal[], types: LazyTypes): void {
  const own = ownerFunction(call);
  const fn = own && logicalFunction(own);
  const loop = enclosingLoopBody(call);
  let where: string | undefined;
  if (loop) where = 'on every turn of a loop';
  else if (fn && perCallContext(fn) && !runsOnce(ctx, fn)) where = `on every call of '${functionDisplayName(fn)}'`;
  if (!where || guardedByFlag(ctx, call)) return;
  if (registrationUndone(ctx, call, (unwrap(call.callee) as TSESTree.MemberExpression).object, types) || clearedAll(ctx, call, removals)) return;
  ctx.report({
    message: `${what} is made ${where} and its handle is ${handleDropped(call) ? 'dropped' : 'never used'}: nothing can undo it, so subscriptions pile up (a memory leak, and handlers that run many times)`,
    range: ctx.rangeOf(call),
  });
}

/** What an effect's call sets up that outlives the component: an interval, or a listener on a long-lived target. */
function effectRegistration(ctx: TsRuleContext, call: TSESTree.CallExpression, topLevel: () => Set<string>): string | undefined {
  if (isGlobalSetInterval(ctx, call)) return 'An interval';
  const method = methodName(call);
  const extension = method === 'addListener' && !!extensionEventCall(ctx, call, 'addListener');
  if (!method || !REGISTER.has(method) || (call.arguments.length < 2 && !extension)) return undefined;
  if (method === 'addEventListener') {
    const options = call.arguments[2];
    if (options && options.type === 'ObjectExpression' && options.properties.some((p) => p.type === 'SpreadElement' || keyName(p) === 'signal' || keyName(p) === 'once')) return undefined;
    if (options && options.type !== 'ObjectExpression' && options.type !== 'Literal') return undefined;
  }
  const callee = unwrap(call.callee) as TSESTree.MemberExpression;
  const root = chainRoot(callee.object);
  if (!root || root.type !== 'Identifier') return undefined;
  const longLived = extension || (PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) || topLevel().has(root.name) || navigationObject(ctx, root);
  if (!longLived) return undefined;
  const event = extension ? undefined : stringValue(call.arguments[0]);
  return `${event ? `${/^[aeiou]/i.test(event) ? 'An' : 'A'} '${event}' listener` : 'A listener'} on '${ctx.text.slice(callee.object.range[0], callee.object.range[1])}'`;
}

/**
 * React Navigation's `navigation` object: `const navigation = useNavigation()`, or the `navigation`
 * prop of a screen (in a file using React Navigation or Expo Router). It lives as long as the
 * screen, so a listener an effect adds and does not remove stays after the component unmounts,
 * and every run of the effect adds another.
 */
function navigationObject(ctx: TsRuleContext, root: TSESTree.Identifier): boolean {
  const usesNavigation = ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && FOCUS_EFFECT_MODULES.has(String(st.source.value)));
  if (!usesNavigation) return false;
  for (let f = ownerFunction(root); f; f = ownerFunction(f)) {
    // `function ChatScreen({ navigation }: Props)`, `(props) => ...` is not the object itself.
    if (f.params.some((p) => patternNames(p).includes(root.name))) return root.name === 'navigation';
    let made: TSESTree.VariableDeclarator | undefined;
    visit(f.body, (n) => {
      if (!made && n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === root.name) made = n;
    }, isFunction);
    if (made) {
      const init = made.init ? unwrap(made.init) : undefined;
      if (init?.type !== 'CallExpression') return false;
      const hook = ctx.imports.resolve(unwrap(init.callee));
      return !!hook && FOCUS_EFFECT_MODULES.has(hook.module) && hook.path[hook.path.length - 1] === 'useNavigation';
    }
  }
  return false;
}

/**
 * The `configureServer`/`configurePreviewServer` hook of a Vite plugin (an object literal with a
 * `name`), async or not: Vite calls it again for every server it makes, and a restart (an edit of
 * the config, `server.restart()`) makes a new one while an interval of the old keeps firing.
 */
function viteServerHook(fn: FunctionNode): boolean {
  let holder = fn.parent;
  if (holder?.type !== 'Property' || holder.value !== fn) return false;
  // The object form: `configureServer: { order: 'post', handler(server) { ... } }`.
  if (keyName(holder) === 'handler' && holder.parent?.parent?.type === 'Property' && holder.parent.parent.value === holder.parent) holder = holder.parent.parent;
  if (holder.type !== 'Property' || !/^configure(Preview)?Server$/.test(keyName(holder) ?? '')) return false;
  const plugin = holder.parent;
  return plugin?.type === 'ObjectExpression' && plugin.properties.some((p) => p.type === 'Property' && keyName(p) === 'name');
}

function isGlobalSetInterval(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier' && callee.name === 'setInterval') {
    const m = ctx.imports.resolve(callee);
    if (m) return m.module === 'timers' && m.path.join('.') === 'setInterval';
    return isGlobal(ctx, callee);
  }
  if (callee.type === 'MemberExpression' && propName(callee) === 'setInterval') {
    const obj = unwrap(callee.object);
    if (obj.type === 'Identifier' && ['window', 'globalThis', 'self'].includes(obj.name)) return isGlobal(ctx, obj);
    const m = ctx.imports.resolve(callee);
    return !!m && m.module === 'timers' && m.path.join('.') === 'setInterval';
  }
  return false;
}

/**
 * The function whose call runs `fn`'s body: `fn` itself, or, for a plain callback that runs once
 * per call of the function around it — a timer's, a `then`'s, an IIFE — or once per item on the
 * spot (`forEach`, `map`), that function (`setTimeout(() => setInterval(poll, 1000), 10)` in a
 * request handler starts an interval per request). A listener's callback runs per event, not per
 * call, and stays its own.
 */
function runningFunction(fn: FunctionNode): FunctionNode {
  let f = fn;
  for (let depth = 0; depth < 4 && !f.async; depth++) {
    const { node, parent } = outerParent(f);
    const iife = parent?.type === 'CallExpression' && parent.callee === node;
    const onTheSpot = parent?.type === 'CallExpression' && parent.arguments[0] === node && /^(forEach|map|flatMap)$/.test(methodName(parent) ?? '');
    if (!iife && !onTheSpot && !runOnceCallback(f)) break;
    const outer = ownerFunction(parent as Node);
    if (!outer) break;
    f = outer;
  }
  return f;
}

/** `setTimeout(() => setInterval(...), 0)`: the body of an arrow whose result its caller ignores (a timer's, `forEach`'s). */
function returnedToNoOne(parent: Node | undefined, node: Node): boolean {
  if (parent?.type !== 'ArrowFunctionExpression' || parent.body !== node) return false;
  const { node: arg, parent: call } = outerParent(parent);
  if (call?.type !== 'CallExpression' || call.arguments[0] !== arg) return false;
  const callee = unwrap(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : methodName(call);
  return /^(setTimeout|setImmediate|queueMicrotask|nextTick|requestAnimationFrame|requestIdleCallback|forEach)$/.test(name ?? '');
}

function checkInterval(ctx: TsRuleContext, call: TSESTree.CallExpression, clears: Clear[], families: () => Map<Node, number>): void {
  const nearest = ownerFunction(call);
  const own = nearest && (perCallContext(nearest) ? nearest : runningFunction(nearest));
  const fn = own && logicalFunction(own);
  // A function that runs once still runs the body of a work loop once per item.
  if (!fn || !(perCallContext(fn) || viteServerHook(fn)) || (runsOnce(ctx, fn) && !insideWorkLoop(call))) return;
  const { node, parent } = outerParent(call);
  let problem: string | undefined;
  if (parent?.type === 'ExpressionStatement' || (parent?.type === 'UnaryExpression' && parent.operator === 'void') || returnedToNoOne(parent, node)) {
    problem = 'its handle is discarded';
  } else if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') {
    // `using ticker = setInterval(...)`: disposed at the end of the block, which clears it.
    const kind = (parent.parent as { kind?: string } | undefined)?.kind;
    if (kind === 'using' || kind === 'await using') return;
    const name = parent.id.name;
    const scope = ownerFunction(parent)?.body ?? ctx.ast;
    // Cleared (`clearInterval(id)`) or handed on (returned, stored, passed): someone can stop it.
    // `timer.unref()` is `setInterval(...).unref()` written in two statements.
    const reads = referencesTo(scope, name).filter((r) => r !== parent.id);
    const uses = reads.map(timerUse);
    if (!uses.includes('unref') && uses.every((u) => u === 'harmless')) problem = `its handle '${name}' is never passed to clearInterval()`;
    else {
      const skipped = clearedOnlyOnSuccess(ctx, call, parent, reads);
      if (skipped) {
        ctx.report({
          message: `setInterval() in ${perCallLabel(ctx, fn)} is cleared only when the work succeeds: if the 'await' on line ${ctx.lines.range(skipped.range[0], skipped.range[0]).start.line + 1} throws, clearInterval(${name}) never runs and the timer keeps firing, and keeps the process alive (clear it in a 'finally')`,
          range: ctx.rangeOf(call),
        });
        return;
      }
    }
  } else if (parent?.type === 'AssignmentExpression' && parent.right === node && parent.operator === '=') {
    const last = lastSegment(ctx, parent.left);
    // `this.timer` is cleared by `clearInterval(this.timer)` in the same class (or a class it
    // extends or that extends it), not by one in an unrelated class of the file.
    const left = unwrap(parent.left);
    const owner = left.type === 'MemberExpression' && unwrap(left.object).type === 'ThisExpression' ? thisOwner(left) : undefined;
    const cleared = clears.some((c) => c.last === last && sameThis(owner, c.owner, families));
    if (!cleared && !readElsewhere(ctx, last, parent.left, owner, families) && !(owner && clearedByBaseClass(ctx, left))) problem = `its handle '${normalized(ctx, parent.left)}' is never passed to clearInterval()`;
  }
  if (!problem) return;
  ctx.report({
    message: `setInterval() in ${perCallLabel(ctx, fn)} is never cleared (${problem}): the timer keeps firing, and keeps the process alive, after the work is done`,
    range: ctx.rangeOf(call),
  });
}

/**
 * `const beat = setInterval(...); await work(); clearInterval(beat);`: the handle is only ever
 * cleared (or tested) by calls in the function that set it up, none of them in a `catch` or a
 * `finally`, after an `await` of a call that may throw (one outside any `try` with a `catch`): a failure of
 * the work leaves the interval running. Returns that `await`. Not when a clear sits in a callback
 * (an abort listener, a child's `exit` handler), which may run on the failure path.
 */
function clearedOnlyOnSuccess(ctx: TsRuleContext, call: TSESTree.CallExpression, declarator: TSESTree.VariableDeclarator, reads: Node[]): Node | undefined {
  const own = ownerFunction(call);
  if (!own || own.body.type !== 'BlockStatement') return undefined;
  const clears: Node[] = [];
  for (const read of reads) {
    const { node, parent } = outerParent(read);
    const callee = parent?.type === 'CallExpression' && parent.arguments[0] === node ? unwrap(parent.callee) : undefined;
    const clearName = callee?.type === 'Identifier' ? callee.name : undefined;
    if (clearName === 'clearInterval' || clearName === 'clearTimeout') {
      if (ownerFunction(parent as Node) !== own || parent?.parent?.type !== 'ExpressionStatement') return undefined;
      for (let n: Node | undefined = parent; n && n !== own; n = n.parent) {
        if (n.type === 'CatchClause' || (n.parent?.type === 'TryStatement' && n.parent.finalizer === n)) return undefined;
      }
      clears.push(parent as Node);
    } else if (timerUse(read) !== 'harmless') return undefined;
  }
  if (clears.length === 0) return undefined;
  const first = Math.min(...clears.map((c) => c.range[0]));
  let found: Node | undefined;
  visit(own.body, (n) => {
    if (found || n.range[0] < declarator.range[1] || n.range[0] > first) return;
    const awaits = n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await);
    if (!awaits) return;
    // The work is a call (`await upload(path)`), not a promise held since before (`await stop`, a
    // Repeater's end; `await this.closed`), which is rather a wait for the end; nor `await new
    // Promise((resolve) => ...)`, whose executor never takes `reject` and cannot fail.
    if (n.type === 'AwaitExpression') {
      const arg = unwrap(n.argument);
      if (arg.type !== 'CallExpression' && arg.type !== 'NewExpression') return;
      if (arg.type === 'NewExpression' && ctxFreeName(arg.callee) === 'Promise' && arg.arguments[0] && isFunction(arg.arguments[0]) && (arg.arguments[0] as FunctionNode).params.length < 2) return;
      // A rejection already handled (`await save().catch(() => null)`, `.then(ok, failed)`,
      // `Promise.allSettled(...)`), or a plain delay of timers/promises with no signal to abort it.
      if (arg.type === 'CallExpression' && cannotReject(ctx, arg)) return;
    }
    for (let p: Node | undefined = n.parent; p && p !== own; p = p.parent) {
      if (p.type === 'TryStatement' && p.handler && n.range[0] >= p.block.range[0] && n.range[1] <= p.block.range[1]) return;
    }
    found = n;
  }, isFunction);
  return found;
}

/** An awaited call that settles without rejecting: see `clearedOnlyOnSuccess`. */
function cannotReject(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const method = methodName(call);
  if (method === 'catch' && call.arguments.length === 1) return true;
  if (method === 'then' && call.arguments.length === 2) return true;
  const callee = unwrap(call.callee);
  if (method === 'allSettled' && callee.type === 'MemberExpression' && ctxFreeName(callee.object) === 'Promise') return true;
  const m = ctx.imports.resolve(callee);
  if (!m) return false;
  const path = m.path.join('.');
  const delay = (m.module === 'timers/promises' && /^(setTimeout|setImmediate|scheduler\.wait)$/.test(path)) || (m.module === 'timers' && /^promises\.(setTimeout|setImmediate)$/.test(path));
  return delay && call.arguments.length < 3;
}

/**
 * What a read of a timer handle does with it: `unref` (the process may exit: like the exempt
 * `setInterval(...).unref()`), `harmless` (neither clears it nor hands it to someone who could:
 * `ref()`/`hasRef()`/`refresh()`, a comparison, a truthiness test, `typeof`), or `handed-on`.
 */
function timerUse(read: Node): 'unref' | 'harmless' | 'handed-on' {
  const { node, parent } = outerParent(read);
  if (parent?.type === 'MemberExpression' && parent.object === node) {
    const m = propName(parent);
    if (m === 'unref') return 'unref';
    return m === 'ref' || m === 'hasRef' || m === 'refresh' ? 'harmless' : 'handed-on';
  }
  switch (parent?.type) {
    case 'BinaryExpression':
      return /^(===|!==|==|!=)$/.test(parent.operator) ? 'harmless' : 'handed-on';
    case 'UnaryExpression':
      return parent.operator === 'typeof' || parent.operator === '!' ? 'harmless' : 'handed-on';
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ConditionalExpression':
      return 'test' in parent && parent.test === node ? 'harmless' : 'handed-on';
    case 'LogicalExpression':
      // `timer && ...` gives the handle only when it is falsy, i.e. no handle.
      return parent.operator === '&&' && parent.left === node ? 'harmless' : 'handed-on';
    default:
      return 'handed-on';
  }
}

/**
 * `this.pollId = setInterval(...)` on a field a base class of another file declares: that class
 * may clear it (`stopClient()` calling `clearInterval(this.pollId)`), which this file cannot show.
 */
function clearedByBaseClass(ctx: TsRuleContext, left: Node): boolean {
  const s = typesIfAny(ctx);
  const tsNode = s?.tsNodeFor(left);
  if (!s || !tsNode || !ts.isPropertyAccessExpression(tsNode)) return false;
  const name = tsNode.name.text;
  const here = tsNode.getSourceFile();
  const clear = new RegExp(`clear(?:Interval|Timeout)\\s*\\([^)]*\\bthis\\s*\\.\\s*${name.replace(/[$]/g, '\\$')}\\b`);
  const declarations = s.checker.getSymbolAtLocation(tsNode.name)?.declarations ?? [];
  return declarations.some((d) => {
    const file = d.getSourceFile();
    return file !== here && !file.isDeclarationFile && clear.test(file.text);
  });
}

/**
 * Whether a property or variable named `name` is read anywhere other than in `exclude` in a way
 * that may clear it, hand it on or unref it (for a `this.name` of a known class, `this.name`
 * reads count only in that class and its relatives).
 */
function readElsewhere(ctx: TsRuleContext, name: string, exclude: Node, owner?: Node, families?: () => Map<Node, number>): boolean {
  let found = false;
  visit(ctx.ast, (n) => {
    if (found || (n.range[0] >= exclude.range[0] && n.range[1] <= exclude.range[1])) return;
    if (n.type === 'MemberExpression' && propName(n) === name) {
      if (owner && families && unwrap(n.object).type === 'ThisExpression' && !sameThis(owner, thisOwner(n), families)) return;
      const p = n.parent;
      if (!(p?.type === 'AssignmentExpression' && p.left === n) && timerUse(n) !== 'harmless') found = true;
    } else if (n.type === 'Identifier' && n.name === name && isReference(n)) {
      const p = n.parent;
      if (!(p?.type === 'AssignmentExpression' && p.left === n) && timerUse(n) !== 'harmless') found = true;
    }
  });
  return found;
}

/**
 * A listener that is the same function object whenever it is added: declared at the top of the
 * module, or a member of `this`. (A function of an enclosing function, a composable's handler, is
 * a new one for every call of that function, and is never removed.)
 */
function stableListener(handler: Node, topLevel: Set<string>): boolean {
  const h = unwrap(handler);
  if (h.type === 'MemberExpression') return !h.computed && unwrap(h.object).type === 'ThisExpression';
  return h.type === 'Identifier' && topLevel.has(h.name);
}

/** A method named for what it does, to subscribe: `onLoad`, `subscribe`, `watchChanges`, `addMessageListener`. */
const SUBSCRIBE_METHOD = /^(on[A-Z]|(subscribe|listen|observe|watch)(To)?([A-Z]|$)|add\w*(Listener|Handler|Callback)$)/;

/**
 * Whether `fn` is a subscribe method (by its name) and `handler` is one of its own parameters, or
 * an inline function that calls one: the listener is the callback the caller handed in.
 */
function subscribesCallerCallback(fn: FunctionNode, handler: Node): boolean {
  if (!SUBSCRIBE_METHOD.test(functionDisplayName(fn))) return false;
  const params = new Set(fn.params.flatMap((p) => patternNames(p)));
  const h = unwrap(handler);
  if (h.type === 'Identifier') return params.has(h.name);
  if (!isFunction(h)) return false;
  const shadowed = declaredNames(h);
  let calls = false;
  visit(h.body, (n) => {
    if (calls || n.type !== 'CallExpression') return;
    const c = unwrap(n.callee);
    if (c.type === 'Identifier' && params.has(c.name) && !shadowed.has(c.name)) calls = true;
  });
  return calls;
}

/**
 * A log filter given as the event of an ethers provider or contract (`provider.on({ address: pair,
 * topics: [SWAP] }, onLog)`): an object literal of `address` and `topics` only, which subscribes to logs.
 */
function logFilter(event: TSESTree.ObjectExpression): boolean {
  const keys = event.properties.map((p) => (p.type === 'Property' ? keyName(p) : undefined));
  return keys.length > 0 && keys.includes('topics') && keys.every((k) => k === 'address' || k === 'topics');
}

function checkListener(
  ctx: TsRuleContext,
  call: TSESTree.CallExpression,
  method: string,
  removals: Removal[],
  types: LazyTypes,
  topLevel: Set<string>,
  fnDeclared: Map<FunctionNode, Set<string>>,
): void {
  const callee = unwrap(call.callee) as TSESTree.MemberExpression;
  const args = call.arguments;
  if (args.some((a) => a.type === 'SpreadElement')) return;
  // `chrome.tabs.onUpdated.addListener(fn)`: the handler comes first, the object is the event.
  const extension = method === 'addListener' && !!extensionEventCall(ctx, call, 'addListener');
  if (method === 'addEventListener') {
    if (args.length < 2 || args.length > 3) return;
    const options = args[2];
    if (options && options.type !== 'Literal') {
      // `{ once: true }`, `{ signal }`, or options we cannot see into.
      if (options.type !== 'ObjectExpression') return;
      for (const prop of options.properties) {
        if (prop.type === 'SpreadElement') return;
        const key = keyName(prop);
        if (key === 'signal') return;
        if (key === 'once' && !(prop.value.type === 'Literal' && prop.value.value === false)) return;
      }
    }
  } else if (args.length !== 2 && !extension) return;
  const { eventArg, handler } = listenerArgs(ctx, call);
  const event = stringValue(eventArg);
  if ((!eventArg && !extension) || !handler) return;
  if (eventArg && (isFunction(eventArg) || (eventArg.type === 'ObjectExpression' && !logFilter(eventArg)))) return;
  // `queue.on('progress', a).on('failed', b)`: an emitter's on() returns the emitter itself.
  let target: Node = callee.object;
  for (let t = unwrap(target); t.type === 'CallExpression' && method !== 'addEventListener'; t = unwrap(target)) {
    const inner = unwrap(t.callee);
    if (inner.type !== 'MemberExpression' || !CHAINED_REGISTER.has(propName(inner) ?? '')) break;
    target = inner.object;
  }
  const root = chainRoot(target);
  if (!root) return; // `createReadStream(p).on(...)`: a fresh object owns the listener.
  // `for await (const [msg] of events.on(emitter, 'message'))`: node:events' own `on`/`once` make an
  // async iterator or a promise, whose listener goes when the loop is left or the event comes.
  if (eventsModuleWaiter(ctx, call)) return;

  const own = ownerFunction(call);
  const fn = own && logicalFunction(own);
  let where: string | undefined;
  const loop = enclosingLoopBody(call);
  if (loop && event !== undefined) {
    // The same event on the same target on every turn. A target that changes per turn is fine.
    const inLoop = declaredNames(loop);
    const perTurn = referencesIn(target).some((id) => inLoop.has(id.name));
    // `from.on('close', ...); from = from.pipe(to);`: a target the loop reassigns, before or after
    // the call, is another object on the next turn.
    if (!perTurn && !assignedBefore(ctx, loop, target)) where = 'on every turn of a loop';
  }
  // A loop over event names (`for (const ev of EVENTS) document.addEventListener(ev, bump)`) adds
  // a different listener per turn: the call as a whole is judged, as without the loop.
  if (!where && fn && perCallContext(fn) && !runsOnce(ctx, fn) && (!loop || event === undefined)) {
    let declared = fnDeclared.get(fn);
    if (!declared) fnDeclared.set(fn, (declared = declaredNames(fn)));
    let longLived = false;
    if (root.type === 'ThisExpression') longLived = !inStreamClass(ctx, fn) && !oneShotMethod(ctx, fn);
    else if (extension) longLived = true;
    // `async function logConsole(page: Page)`: a Puppeteer or Playwright page kept by the caller.
    else if (fn.params.some((p) => patternNames(p).includes(root.name))) longLived = (root === unwrap(target) && longLivedAutomationParam(ctx, root)) || (!perCallObject(root, types) && !perCallMember(target, types) && sharedParam(root, types));
    else if (declared.has(root.name)) longLived = false;
    // A handler written inside a set-up function, on that function's parameter:
    // `function registerQuiz(bot) { bot.command('quiz', async (ctx) => { bot.on(...) }) }`.
    else if (setupParameter(fn, root.name)) longLived = !perCallObject(root, types) && !perCallMember(target, types) && sharedParam(root, types);
    else if (topLevel.has(root.name)) longLived = true;
    else if (LONG_LIVED_GLOBALS.has(root.name) && isGlobal(ctx, root)) longLived = true;
    // A target the function itself creates (`this.socket = connect()`) lives and dies with it.
    if (longLived && !assignedBefore(ctx, fn.body, target, call)) where = connectionHandler(fn) ? `in ${perCallLabel(ctx, fn)}, once per client,` : `on every call of '${functionDisplayName(fn)}'`;
  }
  if (!where || guardedByFlag(ctx, call)) return;
  // `async onLoad(callback) { await this.bidi.subscribe('load'); this.bidi.on('load', (e) => callback(e)) }`:
  // an object's subscribe method that hands its own emitter's events to the caller's callback.
  // Each call is a subscription the caller asked for, and it lives as long as the object whose
  // emitter holds it. (A free function putting the callback on a global is still reported.)
  if (fn && !loop && root.type === 'ThisExpression' && inClassOrObjectMethod(fn) && subscribesCallerCallback(fn, handler)) return;
  // `await new Promise((res) => window.addEventListener('load', res))`: the page's load fires once,
  // so each listener added for it runs once, when the page is ready, and never again.
  if (method === 'addEventListener' && event !== undefined && PAGE_READY_EVENTS.has(event) && unwrap(target) === root && root.type === 'Identifier' && PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) return;
  // Listeners on a signal live as long as the operation it cancels: one the function is given
  // or makes. Not a signal of the module, of `this` or a global, which outlives every call.
  if (fn && root.type === 'Identifier' && isAbortSignal(ctx, target, types)) {
    let declared = fnDeclared.get(fn);
    if (!declared) fnDeclared.set(fn, (declared = declaredNames(fn)));
    if (declared.has(root.name)) return;
  }
  // An EventTarget keeps one registration per (event, listener, capture): adding the same
  // function again (a module-level function, `this.onResize`) adds nothing. An EventEmitter's
  // `on` would add it again, and an inline or bound function is a new one each time.
  if ((method === 'addEventListener' || extension) && stableListener(handler, topLevel)) return;
  // A named handler handed to someone else may be removed there.
  if (handler.type === 'Identifier' && fn && referencesTo(fn.body, handler.name).some((r) => r !== handler && !(r.parent?.type === 'CallExpression' && r.parent.callee === r))) return;

  // The registration returned its own undo (`const off = bus.on(...)`; `off()`).
  if (registrationUndone(ctx, call, target, types)) return;

  const targetText = normalized(ctx, target);
  const last = lastSegment(ctx, target);
  // An inline function can only go with everything else on the target (or for its event).
  const inline = isFunction(unwrap(handler));
  const viaThis = root.type === 'ThisExpression';
  const inClass = enclosingClass(call);
  // An extension event's `removeListener(fn)` removes that function only.
  const handlerName = unwrap(handler).type === 'Identifier' ? (unwrap(handler) as TSESTree.Identifier).name : undefined;
  const removed = removals.some(
    (r) => sameTarget(r, targetText, last, viaThis, inClass) && (!inline || r.clearsAll) && removalEventMatches(r, event) && (!extension || !r.handler || !handlerName || r.handler === handlerName),
  );
  if (removed) return;
  if (!isEmitterLike(types, target)) return;
  const what =
    event !== undefined
      ? `${/^[aeiou]/i.test(event) ? 'An' : 'A'} '${event}' listener`
      : eventArg
        ? `A listener for ${ctx.text.slice(eventArg.range[0], Math.min(eventArg.range[1], eventArg.range[0] + 40))}`
        : 'A listener';
  const shownTarget = targetText.length > 40 ? `${targetText.slice(0, 40)}…` : targetText;
  ctx.report({
    message: `${what} is added to '${shownTarget}' ${where} and never removed: listeners pile up (a memory leak, and handlers that run many times)`,
    range: ctx.rangeOf(call),
  });
}

/**
 * The registration returned a way to undo it (`const off = bus.on('x', h)`, `this.unsubscribe =
 * store.on(...)`, `subs.push(bus.on(...))`, `return bus.on(...)`) and the file uses it: calls
 * it (`off()`, `this.unsubscribe?.()`, `sub.unsubscribe()`, `sub.remove()`) or hands it on. Also
 * a handle that comes as a promise (Capacitor's `await App.addListener(...)`, or kept by
 * `.then((h) => { handle = h; })`). Not when the call returns its receiver (Node's
 * `emitter.on()` chains) or nothing (the DOM's `addEventListener`).
 */
function registrationUndone(ctx: TsRuleContext, call: TSESTree.CallExpression, target: Node, types: LazyTypes): boolean {
  let { node, parent } = outerParent(call);
  if (parent?.type === 'AwaitExpression') ({ node, parent } = outerParent(parent));
  if (!parent || parent.type === 'ExpressionStatement') return false;
  // The DOM's `window.addEventListener(...)` returns nothing, typed or not.
  const root = chainRoot(target);
  if (methodName(call) === 'addEventListener' && root?.type === 'Identifier' && PAGE_GLOBALS.has(root.name) && isGlobal(ctx, root)) return false;
  const s = types.get();
  const tsCall = s?.tsNodeFor(call);
  const tsTarget = s?.tsNodeFor(target);
  if (s && tsCall && tsTarget) {
    const result = s.checker.getTypeAtLocation(tsCall);
    if (result.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return false;
    // Both typed `any` (a module without types) says nothing about chaining.
    if (!(result.flags & ts.TypeFlags.Any) && result === s.checker.getTypeAtLocation(tsTarget)) return false;
  }
  // `App.addListener(...).then((h) => { handle = h; })`: the handle the callback keeps.
  if (parent.type === 'MemberExpression' && parent.object === node && propName(parent) === 'then') {
    const then = parent.parent;
    const cb = then?.type === 'CallExpression' && then.callee === parent && then.arguments[0] ? unwrap(then.arguments[0] as Node) : undefined;
    const param = cb && isFunction(cb) && cb.params[0]?.type === 'Identifier' ? cb.params[0].name : undefined;
    if (!cb || !param) return false;
    return referencesTo((cb as FunctionNode).body, param).some((r) => {
      const { node: o, parent: p } = outerParent(r);
      if (p?.type === 'AssignmentExpression' && p.right === o) return holderUsed(ctx, p, p.left);
      // `(h) => h.remove()` right away, `(h) => handles.push(h)`: undone or handed on.
      return true;
    });
  }
  if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') return holderUsed(ctx, parent, parent.id);
  if (parent.type === 'AssignmentExpression' && parent.right === node) return holderUsed(ctx, parent, parent.left);
  if (parent.type === 'ReturnStatement' || (parent.type === 'ArrowFunctionExpression' && parent.body === node)) {
    // A `new Promise` executor's result is dropped.
    const fn = ownerFunction(node);
    return !!fn && logicalFunction(fn) === fn;
  }
  return (
    (parent.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) ||
    parent.type === 'ArrayExpression' ||
    (parent.type === 'Property' && parent.value === node)
  );
}

/**
 * Whether the name or `this` property a registration's handle was stored in (by `at`) is used
 * elsewhere: a local in the function that declares it, a `this.unsubscribe` anywhere in the file.
 */
function holderUsed(ctx: TsRuleContext, at: Node, holder: Node): boolean {
  const left = unwrap(holder);
  let name: string | undefined;
  let onThis = false;
  if (left.type === 'Identifier') name = left.name;
  else if (left.type === 'MemberExpression' && unwrap(left.object).type === 'ThisExpression') {
    name = propName(left);
    onThis = true;
  } else if (left.type === 'MemberExpression') {
    // `timer.current = ...`, `handles.app = ...`: kept on an object the file reads again.
    const root = chainRoot(left);
    const last = propName(left);
    if (!root || root.type !== 'Identifier' || !last) return false;
    let used = false;
    const text = normalized(ctx, left);
    visit(ctx.ast, (n) => {
      if (used || n.type !== 'MemberExpression' || n === left || normalized(ctx, n) !== text) return;
      const { node: o, parent: p } = outerParent(n);
      if (!(p?.type === 'AssignmentExpression' && p.left === o)) used = true;
    });
    return used;
  }
  if (!name) return false;
  // A local undo is looked for where the name is declared (the function around a `let handle`
  // that a callback assigns); a `this.unsubscribe` anywhere in the file.
  let scope: Node = ctx.ast;
  if (!onThis) {
    for (let f = ownerFunction(at); f; f = ownerFunction(f)) {
      if (declaredNames(f).has(name)) {
        scope = f;
        break;
      }
    }
  }
  let used = false;
  visit(scope, (n) => {
    if (used) return;
    const matches = onThis
      ? n.type === 'MemberExpression' && propName(n) === name && unwrap(n.object).type === 'ThisExpression'
      : n.type === 'Identifier' && n.name === name && isReference(n);
    if (!matches) return;
    const { node: o, parent: p } = outerParent(n);
    if (p?.type === 'AssignmentExpression' && p.left === o) return;
    used = true;
  });
  return used;
}

const PER_CALL_NAMES = /^(req|request|res|response|reply|ctx|context|stream|readable|writable|input|output|src|source|dest|destination|child|proc|process|subprocess|signal|controller|abortController|ac|cp|conn|connection|socket|sock|ws|client|tx|upload|download|file|fd|handle|job|task|worker|body|event|e|evt|msg|message|page)$/i;
const PER_CALL_TYPES = /^(IncomingMessage|ServerResponse|Request|Response|Readable|Writable|Duplex|Transform|PassThrough|Socket|TLSSocket|ChildProcess|ChildProcessWithoutNullStreams|WebSocket|Http2Stream|ServerHttp2Stream|ClientRequest|ReadStream|WriteStream|Worker|FileHandle|ReadableStream|WritableStream|Event|MessagePort|AbortSignal|AbortController|BrowserWindow|WebContents|BrowserView|WebContentsView|UtilityProcess|MessagePortMain)$/;

/** A parameter that usually stands for an object made for this call (a request, a stream, a child process). */
function perCallObject(id: TSESTree.Identifier, types: LazyTypes): boolean {
  // The parameter's declared type, as written (also when the checker cannot resolve it).
  const decl = findParam(id);
  const annotation = decl?.typeAnnotation?.typeAnnotation;
  const written = annotation ? typeRefName(annotation) : undefined;
  if (written && PER_CALL_TYPES.test(written)) return true;
  // `client: Redis`: a type that names a shared client outweighs a name that usually does not.
  if (written && SHARED_TYPES.test(written)) return false;
  if (perCallName(id.name)) return true;
  return checkedTypeNames(id, types).some((name) => PER_CALL_TYPES.test(name));
}

/** A name that usually stands for an object made for one call: `req`, `socket`, `uploadStream`, `signal`. */
function perCallName(name: string): boolean {
  return PER_CALL_NAMES.test(name) || /(Request|Response|Stream|Socket|Connection|Event|Signal|Controller)$/.test(name);
}

/** The names of the (non-nullish) types the checker gives `node`; empty without type information. */
function checkedTypeNames(node: Node, types: LazyTypes): string[] {
  const s = types.get();
  const tsNode = s?.tsNodeFor(node);
  if (!s || !tsNode) return [];
  return nonNullishParts(s.checker.getTypeAtLocation(tsNode)).map((t) => t.getSymbol()?.getName() ?? '');
}

/**
 * A per-call object reached through a property of a parameter (`client.socket` typed `Socket`,
 * `peer.link: Duplex`, `options.signal`): by the property's type, or by its name when no type
 * says otherwise (a connection record's socket goes away with the connection).
 */
function perCallMember(target: Node, types: LazyTypes): boolean {
  const t = unwrap(target);
  if (t.type !== 'MemberExpression') return false;
  const typeNames = checkedTypeNames(t, types);
  if (typeNames.some((name) => PER_CALL_TYPES.test(name))) return true;
  if (typeNames.some((name) => SHARED_TYPES.test(name))) return false;
  const name = propName(t);
  return !!name && perCallName(name);
}

/**
 * Whether a listener's target is an AbortSignal: by its type, or, without type information (or
 * typed `any`), by a name ending in `signal` (`signal`, `shutdownSignal`, `ctrl.signal`).
 */
function isAbortSignal(ctx: TsRuleContext, target: Node, types: LazyTypes): boolean {
  const s = types.get();
  const tsNode = s?.tsNodeFor(target);
  if (s && tsNode) {
    const type = s.checker.getTypeAtLocation(tsNode);
    if (!nonNullishParts(type).some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return typeIsAbortSignal(type);
  }
  return /signal$/i.test(lastSegment(ctx, target));
}

/** Types of objects shared between calls: clients, pools, emitters, servers. */
const SHARED_TYPES = /(Redis|Cluster|Pool|PoolClient|EventEmitter|Emitter|Bus|Broker|Server|Client)$/;

const SHARED_NAMES = /^(emitter|eventEmitter|ee|bus|eventBus|events|hub|broker|server|app|store|target|window|document|process|provider)$/i;

/**
 * A parameter that may stand for an object shared between calls: one whose type is known (an
 * emitter type that is not a per-call object), or, untyped, one named like a shared emitter.
 * An untyped `str` or `x` in plain JavaScript is as likely to be made for this call.
 */
function sharedParam(id: TSESTree.Identifier, types: LazyTypes): boolean {
  if (SHARED_NAMES.test(id.name)) return true;
  if (findParam(id)?.typeAnnotation) return true;
  const s = types.get();
  const tsNode = s?.tsNodeFor(id);
  if (!s || !tsNode) return false;
  const type = s.checker.getTypeAtLocation(tsNode);
  return !nonNullishParts(type).some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
}

/** The parameter declaring the identifier's name in the nearest function that has one. */
function findParam(id: TSESTree.Identifier): TSESTree.Identifier | undefined {
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    for (const raw of n.params) {
      const p = raw.type === 'AssignmentPattern' ? raw.left : raw;
      if (p.type === 'Identifier' && p.name === id.name) return p;
    }
  }
  return undefined;
}

/** Whether `within` assigns the target, or an object it is read from, before `before` (anywhere without it). */
function assignedBefore(ctx: TsRuleContext, within: Node, target: Node, before?: Node): boolean {
  // The target or an object it is read from (`this.window` for `this.window.webContents`): a part
  // of what the function made lives and dies with it.
  const texts = new Set<string>();
  for (let t: Node = unwrap(target); ; t = unwrap((t as TSESTree.MemberExpression).object)) {
    texts.add(normalized(ctx, t));
    if (t.type !== 'MemberExpression' || unwrap(t.object).type === 'ThisExpression') break;
  }
  let found = false;
  visit(within, (n) => {
    if (found || (before && n.range[0] >= before.range[0])) return;
    if (n.type === 'AssignmentExpression' && n.operator === '=' && texts.has(normalized(ctx, n.left))) found = true;
  });
  return found;
}

/** `events.on(emitter, name)`, `events.once(emitter, name)`, `EventEmitter.on(...)` from node:events. */
function eventsModuleWaiter(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const m = ctx.imports.resolve(call.callee);
  if (!m || m.module !== 'events') return false;
  const p = m.path.join('.').replace(/^(default\.)?(EventEmitter\.)?/, '');
  return p === 'once' || p === 'on';
}

/** `const x = new C()` at module level, where `C` is a class of this file that extends nothing and has no way to remove listeners. */
function isInstanceOfPlainLocalClass(id: TSESTree.Identifier): boolean {
  let program: Node = id;
  while (program.parent) program = program.parent;
  if (program.type !== 'Program') return false;
  const unexport = (st: TSESTree.ProgramStatement): Node => ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration ? st.declaration : st);
  let className: string | undefined;
  for (const st of program.body.map(unexport)) {
    if (st.type !== 'VariableDeclaration' || st.kind !== 'const') continue;
    for (const d of st.declarations) {
      if (d.id.type === 'Identifier' && d.id.name === id.name && d.init?.type === 'NewExpression' && d.init.callee.type === 'Identifier') className = d.init.callee.name;
    }
  }
  if (!className) return false;
  for (const st of program.body.map(unexport)) {
    if (st.type !== 'ClassDeclaration' || st.id?.name !== className) continue;
    if (st.superClass) return false;
    return !st.body.body.some((m) => (m.type === 'MethodDefinition' || m.type === 'PropertyDefinition') && REMOVE.has(keyName(m) ?? ''));
  }
  return false;
}

const BOT_COMPOSERS = new Set(['Telegraf', 'Composer', 'Bot', 'BaseScene', 'WizardScene', 'Stage']);

function botComposer(checker: ts.TypeChecker, type: ts.Type): boolean {
  for (const t of [type, ...(type.isClassOrInterface() ? checker.getBaseTypes(type) ?? [] : [])]) {
    const symbol = t.getSymbol();
    if (!symbol || !BOT_COMPOSERS.has(symbol.getName())) continue;
    // Declared in the package, or in a `declare module 'telegraf'`.
    if (/^"(telegraf|grammy)"\./.test(checker.getFullyQualifiedName(symbol))) return true;
    if ((symbol.declarations ?? []).some((d) => /[\\/](telegraf|grammy)[\\/]/.test(d.getSourceFile().fileName))) return true;
  }
  return false;
}

/** With types: the receiver offers a way to remove listeners (otherwise `.on()` is not an emitter's). */
function isEmitterLike(types: LazyTypes, target: Node): boolean {
  const root = chainRoot(target);
  if (root?.type === 'Identifier' && LONG_LIVED_GLOBALS.has(root.name) && root === unwrap(target)) return true;
  const s = types.get();
  const tsNode = s?.tsNodeFor(target);
  if (!s || !tsNode) return !(root?.type === 'Identifier' && root === unwrap(target) && isInstanceOfPlainLocalClass(root));
  const type = s.checker.getTypeAtLocation(tsNode);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  for (const part of nonNullishParts(type)) {
    if (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    for (const m of REMOVE) if (part.getProperty(m)) return true;
    // A Telegraf or grammY bot (or composer, scene): `on()` adds middleware for good, it has no removal at all.
    if (botComposer(s.checker, part)) return true;
    // A class whose base the checker cannot see (`extends EventEmitter` without Node's types).
    if (part.isClassOrInterface() && (s.checker.getBaseTypes(part) ?? []).some((b) => b.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// swallowed-abort

const LOGGING_OBJECTS = /^(console|log|logger|_?logger|sentry|Sentry|debug|winston|pino|bunyan)$/i;
const LOGGING_FUNCTIONS = /^(log|warn|warning|error|info|debug|trace|fatal|print|printf|captureException|captureMessage|report|reportError|logError|notify)$/i;
const PROPAGATING_FUNCTIONS = /^(reject|next|callback|cb|done|fail)$/;

export function checkSwallowedAbort(ctx: TsRuleContext): void {
  if (isDeclarationFile(ctx.filePath)) return;
  const locals = localTypes(ctx.ast);
  const types = new LazyTypes(ctx);
  const paramsOf = new Map<FunctionNode, SignalParam[]>();
  const paramsFor = (fn: FunctionNode) => {
    let ps = paramsOf.get(fn);
    if (!ps) paramsOf.set(fn, (ps = fn.params.length ? signalParams(fn, ctx, locals, types) : []));
    return ps;
  };
  /** Signal parameters of every function around `node`, innermost first. */
  const signalsAround = (node: Node): SignalParam[] => {
    const out: SignalParam[] = [];
    for (let n = node.parent; n; n = n.parent) if (isFunction(n)) out.push(...paramsFor(n));
    return out;
  };

  visit(ctx.ast, (node) => {
    if (node.type === 'CatchClause' && node.parent?.type === 'TryStatement' && node.parent.handler === node) {
      const around = signalsAround(node);
      if (!bearsSignal(ctx, node.parent.block, around, types)) return;
      const param = node.param;
      if (param && param.type !== 'Identifier') return;
      if (!swallows(node.body, param?.name) || deliberate(ctx, node.body) || loopStopsOnAbort(node.parent, node.parent.block)) return;
      if (flagStopsLoop(ctx, node.parent, node.parent.block, around, types)) return;
      if (waitsOnSameSignal(ctx, node.body, node.parent.block, around, node.parent)) return;
      // Fire and forget, written as try/catch (an async IIFE, `after(async () => ...)`, a timer
      // callback): no caller takes a result, and a handler that only logs shows nothing.
      if (quietHandler(node.body) && noCallerResult(node)) return;
      // A VS Code provider (`provideX(..., token: CancellationToken)`): VS Code drops the result of a
      // cancelled call, so an empty answer loses nothing.
      if (takesCancellationToken(node)) return;
      // `catch {}` then `if (result == null) throw new NotFoundError(...)`: the abort still ends in an error.
      if (throwsWhenUnset(node.parent, node)) return;
      const signals = guardedSignals(ctx, node.parent.block, around, types);
      if (abortReadOutside(ctx, node.parent, node.parent.block, signals)) return;
      const shown = showsFailure(node.body);
      ctx.report({
        message: shown
          ? `This catch treats an abort like any failure: when ${signalShown(signals, node.parent.block, ctx)} is aborted, it still shows an error although the work was cancelled on purpose`
          : `This catch swallows every error, an abort included: when ${signalShown(signals, node.parent.block, ctx)} is aborted, the caller gets a normal result instead of ${handsActivitySignal(node.parent.block, ctx) && signals.length === 0 ? 'the cancellation' : 'an AbortError'}`,
        range: ctx.lines.range(node.range[0], node.range[0] + 'catch'.length),
        suggestions: catchClauseFix(ctx, node, signals, node.parent.block, types, shown ? 'return' : 'throw'),
      });
      return;
    }
    if (node.type === 'CallExpression' && methodName(node) === 'catch' && node.arguments.length === 1) {
      const handler = node.arguments[0];
      if (handler.type === 'Identifier' && FAILURE_SETTER.test(handler.name)) {
        // `.catch(setError)` as a statement: the state setter shows the AbortError as a failure.
        const { parent } = outerParent(node);
        const statement = parent?.type === 'ExpressionStatement' || (parent?.type === 'UnaryExpression' && parent.operator === 'void');
        const callee = unwrap(node.callee) as TSESTree.MemberExpression;
        const around = signalsAround(node);
        if (!statement || !bearsSignal(ctx, callee.object, around, types) || loopStopsOnAbort(node, callee.object) || flagStopsLoop(ctx, node, callee.object, around, types)) return;
        const signals = guardedSignals(ctx, callee.object, around, types);
        const err = 'err';
        ctx.report({
          message: `This .catch() treats an abort like any failure: when ${signalShown(signals, callee.object, ctx)} is aborted, '${handler.name}' still shows an error although the work was cancelled on purpose`,
          range: ctx.rangeOf(callee.property),
          suggestions: [
            {
              title: 'Ignore the abort',
              safe: false,
              edits: [{ range: ctx.rangeOf(handler), newText: `(${err}${isTsFile(ctx.filePath) ? ': unknown' : ''}) => { if (${abortCheck(ctx, signals, err, callee.object, types)}) return; ${handler.name}(${err}); }` }],
            },
          ],
        });
        return;
      }
      if (handler.type !== 'ArrowFunctionExpression' && handler.type !== 'FunctionExpression') return;
      const param = handler.params[0];
      if (param && param.type !== 'Identifier') return;
      // Fire and forget (`p.catch(() => {})` as a statement): nobody takes the result for a
      // success. Unless the handler shows a failure (`setError('Could not load')`): an abort —
      // the effect's clean-up, a newer request — then shows as an error.
      // Likewise a background loop's handle (`this.loop = this.run(signal).catch(log)`): what
      // waits for it (a `stop()`) waits for the end, not for a result. A trailing
      // `.finally(cleanup)` gives the value to no one either.
      const { parent } = outerParent(afterFinally(node));
      const statement = parent?.type === 'ExpressionStatement' || (parent?.type === 'UnaryExpression' && parent.operator === 'void');
      const handle =
        (parent?.type === 'AssignmentExpression' && parent.left.type === 'MemberExpression' && unwrap(parent.left.object).type === 'ThisExpression') ||
        parent?.type === 'PropertyDefinition';
      const noValue = handler.body.type === 'BlockStatement' ? !handler.body.body.some((st) => st.type === 'ReturnStatement' && st.argument) : handler.body.type === 'CallExpression';
      if ((statement || (handle && noValue)) && quietHandler(handler.body)) return;
      const callee = unwrap(node.callee) as TSESTree.MemberExpression;
      // `cancelled().catch(() => child.kill())`: a Temporal activity's way to react to its cancellation,
      // the only rejection that promise has.
      if (activityCancellation(ctx, unwrap(callee.object)) && !(unwrap(callee.object).type === 'CallExpression' && activitySleep(ctx, unwrap(callee.object) as TSESTree.CallExpression))) return;
      const around = signalsAround(node);
      if (!bearsSignal(ctx, callee.object, around, types)) return;
      if (!swallows(handler.body, param?.name) || deliberate(ctx, handler.body) || loopStopsOnAbort(node, callee.object)) return;
      if (flagStopsLoop(ctx, node, callee.object, around, types)) return;
      if (waitsOnSameSignal(ctx, handler.body, callee.object, around, node)) return;
      const signals = guardedSignals(ctx, callee.object, around, types);
      if (abortReadOutside(ctx, node, callee.object, signals)) return;
      ctx.report({
        message: statement
          ? `This .catch() treats an abort like any failure: when ${signalShown(signals, callee.object, ctx)} is aborted, its handler still reports an error although the work was cancelled on purpose`
          : `This .catch() swallows every error, an abort included: when ${signalShown(signals, callee.object, ctx)} is aborted, the promise resolves as if the work had succeeded`,
        range: ctx.rangeOf(callee.property),
        suggestions: catchHandlerFix(ctx, handler, signals, callee.object, types, statement ? 'return' : 'throw'),
      });
    }
  });
}

/**
 * `let result; try { result = await Promise.any(routers.map(...)) } catch {}
 * if (result == null) throw new NotFoundError(...)`: a catch that lets the function go on to a check
 * that throws when the `try` did not get its value. An abort leaves the value unset, so the caller
 * still gets an error, not a normal result.
 */
/**
 * The function decides about the abort itself, outside the handler: it reads the guarded signal's
 * `aborted` after the `try` or the `.catch()` (`} catch { listing = null; } if (signal.aborted) return;`,
 * `const aborted = signal.aborted;`; for a callback handed to a call, such as the probes of
 * `await Promise.all(hosts.map(async (h) => ...))`, also the function around it after that callback),
 * or answers an aborted signal with a plain `return` before it (`if (signal.aborted) return false;`
 * then `try { ... } catch { return false; }`: the function's own way to end on an abort). A check
 * before it that throws is no such answer.
 */
function abortReadOutside(ctx: TsRuleContext, anchor: Node, guarded: Node, signals: SignalParam[]): boolean {
  let fn = ownerFunction(anchor);
  if (!fn) return false;
  const texts = new Set(signals.map((sig) => (sig.kind === 'signal' ? sig.name : `${sig.name}.${sig.key ?? 'signal'}`)));
  // A signal that is no parameter (a local, a member): what the guarded work is handed as `signal`.
  visit(guarded, (n) => {
    if (n.type !== 'Property' || n.computed || n.key.type !== 'Identifier' || (n.key.name !== 'signal' && n.key.name !== 'abortSignal')) return;
    const v = unwrap(n.value);
    if (v.type === 'Identifier' || v.type === 'MemberExpression') texts.add(ctx.text.slice(v.range[0], v.range[1]).replace(/\s+/g, ''));
  });
  if (texts.size === 0) return false;
  const readsAborted = (n: Node): boolean =>
    n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier' && n.property.name === 'aborted' &&
    texts.has(ctx.text.slice(unwrap(n.object).range[0], unwrap(n.object).range[1]).replace(/\s+/g, '').replace(/\?$/, ''));
  const returnsOnly = (st: Node): boolean =>
    st.type === 'ReturnStatement' || (st.type === 'BlockStatement' && st.body.length > 0 && st.body[st.body.length - 1].type === 'ReturnStatement' && !st.body.some((b) => b.type === 'ThrowStatement'));
  let found = false;
  let after = anchor.range[1];
  for (let level = 0; fn && !found && level < 3; level++) {
    const own: FunctionNode = fn;
    const from = after;
    visit(own.body, (n) => {
      if (found) return;
      if (n.range[0] >= from && readsAborted(n)) found = true;
      else if (level === 0 && n.type === 'IfStatement' && n.range[1] <= anchor.range[0] && !n.alternate && returnsOnly(n.consequent)) {
        visit(n.test, (m) => {
          if (readsAborted(m)) found = true;
        }, isFunction);
      }
    }, isFunction);
    // A callback mapped over a list whose promises the function around it awaits together
    // (`await Promise.all(hosts.map(async (h) => ...))`) has settled before what follows there runs.
    const { parent, node: outer } = outerParent(own);
    if (parent?.type !== 'CallExpression' || !parent.arguments.includes(outer as TSESTree.CallExpressionArgument) || !/^(map|flatMap)$/.test(methodName(parent) ?? '')) break;
    const { parent: gather, node: mapped } = outerParent(parent);
    const gatherCallee = gather?.type === 'CallExpression' ? unwrap(gather.callee) : undefined;
    const combinator = gatherCallee?.type === 'MemberExpression' && !gatherCallee.computed && gatherCallee.property.type === 'Identifier' && /^(all|allSettled)$/.test(gatherCallee.property.name) &&
      unwrap(gatherCallee.object).type === 'Identifier' && (unwrap(gatherCallee.object) as TSESTree.Identifier).name === 'Promise';
    if (!combinator || gather?.type !== 'CallExpression' || gather.arguments[0] !== mapped || outerParent(gather).parent?.type !== 'AwaitExpression') break;
    after = gather.range[1];
    fn = ownerFunction(gather);
  }
  return found;
}

function throwsWhenUnset(tryStmt: TSESTree.TryStatement, handler: TSESTree.CatchClause): boolean {
  const parent = tryStmt.parent;
  const body: Node[] | undefined = parent?.type === 'BlockStatement' || parent?.type === 'Program' ? parent.body : undefined;
  if (!body) return false;
  const next = body[body.indexOf(tryStmt) + 1];
  if (next?.type !== 'IfStatement' || next.alternate) return false;
  const c = next.consequent;
  if (c.type !== 'ThrowStatement' && !(c.type === 'BlockStatement' && c.body.length > 0 && c.body[c.body.length - 1].type === 'ThrowStatement')) return false;
  const name = unsetName(next.test);
  if (!name) return false;
  const assigns = (root: Node): boolean => {
    let found = false;
    visit(root, (n) => {
      if (n.type === 'AssignmentExpression' && unwrap(n.left).type === 'Identifier' && (unwrap(n.left) as TSESTree.Identifier).name === name) found = true;
    }, isFunction);
    return found;
  };
  // The catch must neither set the value nor leave the function itself (a `return` skips the check).
  let leaves = false;
  visit(handler.body, (n) => {
    if (n.type === 'ReturnStatement') leaves = true;
  }, isFunction);
  // The value is set by the try's last statement: no work after it that an abort could cut short.
  const last = tryStmt.block.body[tryStmt.block.body.length - 1];
  const setsLast = last?.type === 'ExpressionStatement' && last.expression.type === 'AssignmentExpression' && last.expression.operator === '=' && unwrap(last.expression.left).type === 'Identifier' && (unwrap(last.expression.left) as TSESTree.Identifier).name === name;
  return setsLast && !assigns(handler.body) && !leaves;
}

/** `!x`, `x == null`, `x === undefined`, `null == x`: the name a test finds unset. */
function unsetName(test: Node): string | undefined {
  const t = unwrap(test);
  if (t.type === 'UnaryExpression' && t.operator === '!') {
    const a = unwrap(t.argument);
    return a.type === 'Identifier' ? a.name : undefined;
  }
  if (t.type !== 'BinaryExpression' || (t.operator !== '==' && t.operator !== '===')) return undefined;
  const unset = (n: Node) => (n.type === 'Literal' && n.value === null) || (n.type === 'Identifier' && n.name === 'undefined');
  const l = unwrap(t.left);
  const r = unwrap(t.right);
  if (l.type === 'Identifier' && unset(r)) return l.name;
  if (r.type === 'Identifier' && unset(l)) return r.name;
  return undefined;
}

/** The end of `p.catch(h).finally(f)` from its `.catch(h)`: `.finally` hands on what it gets. */
function afterFinally(call: Node): Node {
  let n = outerParent(call);
  while (n.parent?.type === 'MemberExpression' && n.parent.object === n.node && propName(n.parent) === 'finally' && n.parent.parent?.type === 'CallExpression' && n.parent.parent.callee === n.parent) {
    n = outerParent(n.parent.parent);
  }
  return n.node;
}

/**
 * A comment in the handler that speaks of the abort (`// aborted: stop quietly`), or of the
 * teardown or shutdown that stops the work (`// torn down mid-search`, `// shutting down`):
 * swallowed on purpose. Not a note that the handler is still to be fixed (`// TODO: let aborts
 * through`, `FIXME`, `XXX`, `BUG`).
 */
function deliberate(ctx: TsRuleContext, body: Node): boolean {
  return (ctx.ast.comments ?? []).some(
    (c) =>
      c.range[0] >= body.range[0] &&
      c.range[1] <= body.range[1] &&
      /abort|cancel|torn[ -]down|tear(?:ing)?[ -]?down|shut(?:ting)?[ -]?down/i.test(c.value) &&
      !/^\s*(expect:|(TODO|FIXME|XXX|BUG)\b)/.test(c.value),
  );
}

/**
 * A handler that first awaits a call given the same signal as the guarded work (a back-off
 * `await setTimeout(ms, undefined, { signal })` from timers/promises), before anything that could
 * leave it normally: on abort that call rejects, and the AbortError leaves the handler, as with
 * `signal.throwIfAborted()`. Likewise when such an await follows the `try` statement (or the
 * awaited `p.catch(...)`) in the same turn of a loop or the same function, with nothing in between
 * that could leave (the back-off after the `try` of a retry loop): the handler's normal end
 * leads straight to it.
 */
function waitsOnSameSignal(ctx: TsRuleContext, body: Node, guarded: Node, signals: SignalParam[], from: Node): boolean {
  const names = new Set(['signal', ...signals.map((s) => s.name)]);
  const passed = new Set<string>();
  visit(guarded, (n) => {
    if (n.type === 'CallExpression') for (const arg of n.arguments) for (const sig of signalsPassed(ctx, arg, names)) passed.add(sig);
  });
  // A Temporal activity's `sleep()` throws the activity's cancellation as its signal does.
  const activity = handsActivitySignal(guarded);
  if (passed.size === 0 && !activity) return false;
  /** Whether the statements first await a call given the same signal, first may leave, or do neither. */
  const scan = (statements: readonly Node[]): 'waits' | 'exits' | undefined => {
    for (const st of statements) {
      const expr = st.type === 'ExpressionStatement' ? st.expression : st.type === 'VariableDeclaration' && st.declarations.length === 1 ? st.declarations[0].init : undefined;
      let awaited = expr && unwrap(expr).type === 'AwaitExpression' ? unwrap((unwrap(expr) as TSESTree.AwaitExpression).argument) : undefined;
      // `return fallback(url, signal)` (awaited or not): on abort its rejection is what the caller gets.
      if (st.type === 'ReturnStatement' && st.argument) {
        const value = unwrap(st.argument);
        awaited = value.type === 'AwaitExpression' ? unwrap(value.argument) : value;
      }
      if (awaited?.type === 'CallExpression' && !isLoggingCall(awaited) && awaited.arguments.some((a) => signalsPassed(ctx, a, names).some((sig) => passed.has(sig)))) return 'waits';
      if (awaited?.type === 'CallExpression' && activity && activitySleep(ctx, awaited)) return 'waits';
      // A statement that may leave the handler (or the loop turn) first.
      let exits = false;
      visit(st, (n) => {
        if (n.type === 'ReturnStatement' || n.type === 'BreakStatement' || n.type === 'ContinueStatement') exits = true;
      }, isFunction);
      if (exits) return 'exits';
    }
    return undefined;
  };
  if (body.type === 'BlockStatement') {
    const verdict = scan(body.body);
    if (verdict) return verdict === 'waits';
  }
  // Then what runs after the handler: the try's `finally`, and the statements after the `try`
  // (or after the statement awaiting `p.catch(...)`), up to the end of the loop turn or function.
  let st: Node;
  if (from.type === 'TryStatement') {
    if (from.finalizer) {
      const verdict = scan(from.finalizer.body);
      if (verdict) return verdict === 'waits';
    }
    st = from;
  } else {
    const { parent } = outerParent(from);
    if (parent?.type !== 'AwaitExpression') return false;
    // `await p.catch(...)` as a statement, or as the value of a declaration.
    const outer = outerParent(parent);
    if (outer.parent?.type === 'ExpressionStatement') st = outer.parent;
    else if (outer.parent?.type === 'VariableDeclarator' && outer.parent.init === outer.node && outer.parent.parent?.type === 'VariableDeclaration') st = outer.parent.parent;
    else return false;
  }
  for (let n: Node | undefined = st.parent; n && !isFunction(n) && !isLoop(n) && n.type !== 'SwitchCase'; n = n.parent) {
    if (n.type === 'BlockStatement') {
      const verdict = scan(n.body.slice(n.body.indexOf(st as TSESTree.Statement) + 1));
      if (verdict) return verdict === 'waits';
    }
    st = n;
  }
  return false;
}

/** The signals an argument hands over, as text: `signal`, `{ signal }`, `{ signal: ctrl.signal }` → `signal`, `ctrl.signal`. */
function signalsPassed(ctx: TsRuleContext, arg: Node, names: Set<string>): string[] {
  return signalValues(arg, names)
    .filter((v) => v.type === 'Identifier' || v.type === 'MemberExpression')
    .map((v) => normalized(ctx, v));
}

/**
 * A loop around the handler that itself stops on abort: its condition reads `signal.aborted`
 * (`while (!signal.aborted) { try { ... } catch { ... } }`, or `await p.catch(...)` in its body),
 * or its body leaves it when the signal is aborted (`if (signal.aborted) break;` / `return` /
 * `throw`, or `signal.throwIfAborted()`), outside the code the handler guards (the `try` block,
 * or the promise `.catch` is called on) for the throwing forms.
 */
function loopStopsOnAbort(from: Node, guarded: Node): boolean {
  for (let n: Node | undefined = from.parent; n && !isFunction(n); n = n.parent) {
    if (!isLoop(n)) continue;
    if ((n.type === 'WhileStatement' || n.type === 'DoWhileStatement' || n.type === 'ForStatement') && n.test) {
      let found = false;
      visit(n.test, (t) => {
        if (t.type === 'MemberExpression' && propName(t) === 'aborted') found = true;
      });
      if (found) return true;
    }
    // `for await (const e of on(emitter, 'job', { signal }))`, `setInterval(ms, v, { signal })`
    // from timers/promises: the iterator itself throws the AbortError at the next turn.
    if (n.type === 'ForOfStatement' && n.await && iteratesWithSignal(n.right)) return true;
    if (bodyLeavesOnAbort(n, guarded)) return true;
  }
  return false;
}

/** A call given a `signal` (an options property, or an argument named like one): bound to it. */
function iteratesWithSignal(iterable: Node): boolean {
  const call = unwrap(iterable);
  if (call.type !== 'CallExpression') return false;
  return call.arguments.some((a) => {
    if (a.type === 'Identifier') return /signal$/i.test(a.name);
    if (a.type !== 'ObjectExpression') return false;
    return a.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'signal');
  });
}

function bodyLeavesOnAbort(loop: Node & { body: Node }, guarded: Node): boolean {
  const inTry = (node: Node) => node.range[0] >= guarded.range[0] && node.range[1] <= guarded.range[1];
  let found = false;
  visit(loop.body, (n) => {
    if (found) return;
    if (n.type === 'IfStatement' && testsAborted(n.test)) {
      const exits = n.consequent.type === 'BlockStatement' ? n.consequent.body : [n.consequent];
      found = exits.some((e) =>
        e.type === 'ReturnStatement' || (e.type === 'ThrowStatement' && !inTry(e)) || (e.type === 'BreakStatement' && (e.label !== null || jumpTarget(e) === loop)));
    } else if (n.type === 'CallExpression' && methodName(n) === 'throwIfAborted' && !inTry(n)) {
      found = true;
    }
  }, isFunction);
  return found;
}

/** `signal.aborted`, `signal?.aborted`, `signal && signal.aborted`, `signal.aborted || done`. */
function testsAborted(test: Node): boolean {
  const t = unwrap(test);
  if (t.type === 'MemberExpression') return propName(t) === 'aborted';
  if (t.type === 'LogicalExpression') return testsAborted(t.left) || testsAborted(t.right);
  return false;
}

/**
 * The signal parameters the guarded code hands over: those it refers to, or else those handed to
 * the stream or promise made before it that it awaits (see signalBearingAwaits).
 */
function guardedSignals(ctx: TsRuleContext, guarded: Node, around: SignalParam[], types: LazyTypes): SignalParam[] {
  const signals = usedSignals(guarded, around);
  if (signals.length > 0) return signals;
  for (const init of signalBearingAwaits(ctx, guarded, around, types)) signals.push(...usedSignals(init, around).filter((s) => !signals.includes(s)));
  return signals;
}

/** The signal parameters that `root` actually refers to. */
function usedSignals(root: Node, signals: SignalParam[]): SignalParam[] {
  return signals.filter((s) => referencesTo(root, s.name).length > 0);
}

function signalShown(signals: SignalParam[], guarded?: Node, ctx?: TsRuleContext): string {
  const s = signals[0];
  if (!s) return guarded && handsActivitySignal(guarded, ctx) ? "the activity's cancellation signal" : 'the signal';
  return s.kind === 'signal' ? `'${s.name}'` : `'${s.name}.${s.key ?? 'signal'}'`;
}

/**
 * Temporal's activity `sleep(ms)` (imported from `@temporalio/activity`, or `Context.current().sleep(ms)`,
 * also through a `const ctx = Context.current()`): it rejects with the activity's cancellation.
 */
function activitySleep(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const fromActivity = (n: Node, path: string) => {
    const m = ctx.imports.resolve(unwrap(n));
    return !!m && m.module === '@temporalio/activity' && m.path.join('.') === path;
  };
  if (callee.type === 'Identifier') return fromActivity(callee, 'sleep');
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'sleep') return false;
  return activityContext(ctx, callee.object);
}

/**
 * What rejects with a Temporal activity's cancellation without a signal in sight: the activity's
 * `sleep(ms)` and its `cancelled()` promise (from `@temporalio/activity`, or `Context.current().cancelled`,
 * also through a `const ctx = Context.current()`).
 */
function activityCancellation(ctx: TsRuleContext, n: Node): boolean {
  if (n.type === 'CallExpression') {
    if (activitySleep(ctx, n)) return true;
    const callee = unwrap(n.callee);
    const m = callee.type === 'Identifier' ? ctx.imports.resolve(callee) : undefined;
    return !!m && m.module === '@temporalio/activity' && m.path.join('.') === 'cancelled';
  }
  if (n.type !== 'MemberExpression' || propName(n) !== 'cancelled') return false;
  return activityContext(ctx, n.object);
}

/** `Context.current()` from `@temporalio/activity`, or a `const` holding it. */
function activityContext(ctx: TsRuleContext, node: Node): boolean {
  let holder = unwrap(node);
  if (holder.type === 'Identifier') {
    const init = constDeclarator(holder)?.init;
    if (!init) return false;
    holder = unwrap(init);
  }
  if (holder.type !== 'CallExpression') return false;
  const m = ctx.imports.resolve(unwrap(holder.callee));
  return !!m && m.module === '@temporalio/activity' && m.path.join('.') === 'Context.current';
}

/** Whether `root` hands a Temporal activity's cancellation signal to a call. */
function handsActivitySignal(root: Node, ctx?: TsRuleContext): boolean {
  let found = false;
  visit(root, (n) => {
    if (found) return;
    if (ctx && activityCancellation(ctx, n)) found = true;
    else if (n.type === 'CallExpression') found = n.arguments.some((arg) => signalValues(arg, new Set()).some(activitySignal));
  });
  return found;
}

const SIGNAL_INSPECTORS = new Set(['getMaxListeners', 'setMaxListeners', 'getEventListeners', 'addAbortListener', 'any', 'addEventListener', 'removeEventListener', 'transferableAbortSignal', 'kill']);

/**
 * Whether `root` makes a call that is handed an AbortSignal (so an abort can surface there) that
 * some caller may be waiting on: not one that only a deadline or the handler's own request aborts.
 */
function bearsSignal(ctx: TsRuleContext, root: Node, signals: SignalParam[], types: LazyTypes): boolean {
  return bearsSignalHere(ctx, root, signals, types) || signalBearingAwaits(ctx, root, signals, types).length > 0;
}

/**
 * The initialisers, made before `root` in its function, of the `const`s whose value `root` awaits
 * or iterates with `for await` (directly, through a property or a method call on it) when they were
 * handed an AbortSignal: an LLM SDK's stream opened with `{ signal }` (`const stream = await
 * openai.chat.completions.create({ ..., stream: true }, { signal })`, then `for await (const chunk of
 * stream)` in the `try`), `anthropic.messages.stream(body, { signal })` then `await
 * stream.finalMessage()`, `streamText({ abortSignal })` then `for await (... of result.textStream)`,
 * or a promise held from before (`const pending = fetch(url, { signal })`, then `await pending`):
 * the abort surfaces where the value is awaited or read, inside the `try` (or in the promise given
 * a `.catch(...)`, `stream.finalText().catch(() => '')`).
 */
function signalBearingAwaits(ctx: TsRuleContext, root: Node, signals: SignalParam[], types: LazyTypes): Node[] {
  const out: Node[] = [];
  const owner = enclosingFunction(root);
  visit(
    root,
    (n) => {
      // `root` itself for the receiver of a `.catch(...)`: `stream.finalText().catch(() => '')`.
      const target = n === root && n.type !== 'BlockStatement' ? n : n.type === 'AwaitExpression' ? n.argument : n.type === 'ForOfStatement' && n.await ? n.right : undefined;
      if (!target) return;
      const id = awaitedBase(target);
      if (!id) return;
      // `detail = await res.json()` of a `const res = await fetch(url, { signal })`: a catch there is
      // for a body that does not parse, not for the request.
      const read = unwrap(target);
      if (read.type === 'CallExpression' && /^(json|text|arrayBuffer|blob|formData|bytes)$/.test(methodName(read) ?? '')) return;
      const declarator = constDeclarator(id);
      const init = declarator?.init;
      if (!init || out.includes(init) || (init.range[0] >= root.range[0] && init.range[1] <= root.range[1]) || init.range[1] > root.range[0]) return;
      if (enclosingFunction(init) !== owner) return;
      // `this.queue = turn.catch(() => undefined); return turn;`: the `.catch` is a side branch; the
      // promise itself still goes on (returned, awaited, handed over) and its rejection with it.
      if (n === root && owner?.body && referencesTo(owner.body, id.name).some((r) => r !== id && !(r.range[0] >= root.range[0] && r.range[1] <= root.range[1]) && r.range[0] > declarator!.id.range[1])) return;
      if (bearsSignalHere(ctx, init, signals, types)) out.push(init);
    },
    isFunction,
  );
  return out;
}

/** `stream`, `result.textStream`, `stream.finalMessage()`, `run.finalRun().then(...)`: the name read. Not a called name (`load()`). */
function awaitedBase(target: Node): TSESTree.Identifier | undefined {
  let n = unwrap(target);
  for (let depth = 0; depth < 16; depth++) {
    if (n.type === 'Identifier') return n;
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      if (callee.type !== 'MemberExpression') return undefined;
      n = callee;
    } else if (n.type === 'MemberExpression') {
      n = unwrap(n.object);
    } else {
      return undefined;
    }
  }
  return undefined;
}

function bearsSignalHere(ctx: TsRuleContext, root: Node, signals: SignalParam[], types: LazyTypes): boolean {
  const names = new Set(['signal', ...signals.map((s) => s.name)]);
  let found = false;
  visit(root, (n) => {
    if (found) return;
    // A Temporal activity's own cancellation: its `sleep()`, its `cancelled()` promise.
    if (activityCancellation(ctx, n)) {
      found = true;
      return;
    }
    if (n.type !== 'CallExpression') return;
    const method = methodName(n);
    if (method === 'throwIfAborted') {
      found = true;
      return;
    }
    // Calls that inspect or combine signals never reject with an abort.
    const name = ctxFreeName(n.callee);
    if (name && SIGNAL_INSPECTORS.has(name)) return;
    for (const arg of n.arguments) {
      if (osSignalName(n, arg)) continue;
      const values = signalValues(arg, names);
      if (values.length === 0 || onlyTimesOut(arg, n)) continue;
      if (values.some((v) => signalSources(v).sources.some((src) => !ownRequestSignal(src, n, root, types) && !ownCleanupSignal(src, n)))) {
        found = true;
        return;
      }
    }
  });
  return found;
}

/**
 * An argument the call takes as an OS signal's name, a string such as 'SIGTERM', not an
 * AbortSignal: the event of a process listener (`signals.forEach((signal) => process.on(signal,
 * shutdown))`), Deno's `addSignalListener(signal, fn)`.
 */
function osSignalName(call: TSESTree.CallExpression, arg: Node): boolean {
  const index = call.arguments.indexOf(arg as TSESTree.CallExpressionArgument);
  const method = methodName(call);
  if (index !== 0 || !method) return false;
  if (/^(?:add|remove)SignalListener$/.test(method)) return true;
  const callee = unwrap(call.callee);
  const receiver = callee.type === 'MemberExpression' ? unwrap(callee.object) : undefined;
  return receiver?.type === 'Identifier' && receiver.name === 'process' && /^(?:on|once|off|addListener|removeListener|removeAllListeners|prependListener|prependOnceListener|emit)$/.test(method);
}

/** `AbortSignal.<method>(...)`, the call itself. */
function abortSignalCall(node: Node, method: string): TSESTree.CallExpression | undefined {
  const v = unwrap(node);
  if (v.type !== 'CallExpression' || v.callee.type !== 'MemberExpression' || propName(v.callee) !== method) return undefined;
  const object = unwrap(v.callee.object);
  return object.type === 'Identifier' && object.name === 'AbortSignal' ? v : undefined;
}

/**
 * The declarator of the `const` that `id` reads, found in the blocks around it (not a parameter,
 * a `let`, nor a binding of a destructuring pattern).
 */
function constDeclarator(id: TSESTree.Identifier): TSESTree.VariableDeclarator | undefined {
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    if (isFunction(n) && n.params.some((p) => patternNames(p).includes(id.name))) return undefined;
    const body = n.type === 'BlockStatement' || n.type === 'Program' || n.type === 'StaticBlock' ? n.body : n.type === 'SwitchCase' ? n.consequent : undefined;
    if (!body) continue;
    for (const st of body) {
      const decl = st.type === 'ExportNamedDeclaration' ? st.declaration : st;
      if (decl?.type !== 'VariableDeclaration') continue;
      const d = decl.declarations.find((x) => patternNames(x.id).includes(id.name));
      if (d) return decl.kind === 'const' && d.id.type === 'Identifier' ? d : undefined;
    }
  }
  return undefined;
}

/**
 * What can abort a signal value: the members of `AbortSignal.any([...])`, what a `const` holds
 * (`const signal = AbortSignal.any([...])`, `const signal = controller.signal`), and otherwise the
 * value itself. `AbortSignal.timeout(...)` is a deadline, no source: `timeout` tells it was seen.
 */
function signalSources(value: Node, out: { sources: Node[]; timeout: boolean } = { sources: [], timeout: false }, depth = 0): { sources: Node[]; timeout: boolean } {
  const v = unwrap(value);
  if (abortSignalCall(v, 'timeout')) {
    out.timeout = true;
    return out;
  }
  if (depth < 6) {
    const any = abortSignalCall(v, 'any');
    const list = any?.arguments[0] && unwrap(any.arguments[0]);
    if (list?.type === 'ArrayExpression' && list.elements.length > 0 && list.elements.every((e) => e && e.type !== 'SpreadElement')) {
      for (const e of list.elements) signalSources(e as Node, out, depth + 1);
      return out;
    }
    const init = v.type === 'Identifier' ? constDeclarator(v)?.init : undefined;
    const held = init && unwrap(init);
    if (held && (abortSignalCall(held, 'timeout') || abortSignalCall(held, 'any') || held.type === 'Identifier' || (held.type === 'MemberExpression' && SIGNAL_KEYS.has(propName(held) ?? '')))) {
      return signalSources(held, out, depth + 1);
    }
  }
  out.sources.push(v);
  return out;
}

/**
 * `controller.signal` of a `const controller = new AbortController()` made in the same function,
 * which is the only one to call `controller.abort()` (no timer, no listener, no other signal linked
 * to it, the controller handed to nobody), each time just before it leaves: `Promise.race([failed,
 * wait(ms, controller.signal).catch(() => 'timeout')])`, then `controller.abort(); throw error`
 * to stop the waits that lost. No caller can cancel that signal, and no work of the function is
 * left to see it aborted.
 */
function ownCleanupSignal(source: Node, at: Node): boolean {
  const src = unwrap(source);
  if (src.type !== 'MemberExpression' || propName(src) !== 'signal') return false;
  const object = unwrap(src.object);
  if (object.type !== 'Identifier') return false;
  const fn = ownerFunction(at);
  if (!fn?.body) return false;
  let made = false;
  visit(fn.body, (n) => {
    if (
      n.type === 'VariableDeclarator' &&
      n.id.type === 'Identifier' &&
      n.id.name === object.name &&
      n.parent?.type === 'VariableDeclaration' &&
      n.parent.kind === 'const' &&
      ownerFunction(n) === fn &&
      n.init &&
      unwrap(n.init).type === 'NewExpression' &&
      ctxFreeName((unwrap(n.init) as TSESTree.NewExpression).callee) === 'AbortController'
    )
      made = true;
  });
  if (!made) return false;
  return referencesTo(fn.body, object.name).every((r) => {
    const member = r.parent;
    if (member?.type !== 'MemberExpression' || member.object !== r || member.computed) return false;
    const name = propName(member);
    if (name === 'signal') return true;
    return name === 'abort' && member.parent?.type === 'CallExpression' && member.parent.callee === member && ownerFunction(member) === fn && leavesAfter(member.parent, fn);
  });
}

/**
 * `controller.abort(); throw error;`: the call is a statement the function leaves right after (a
 * `return` or `throw` follows, or it ends the function's body), so nothing of the function runs
 * with the signal aborted (a loop would start its next turn with it).
 */
function leavesAfter(call: Node, fn: FunctionNode): boolean {
  const statement = call.parent;
  if (statement?.type !== 'ExpressionStatement') return false;
  const block = statement.parent;
  if (block?.type !== 'BlockStatement') return false;
  const i = block.body.indexOf(statement);
  const next = block.body[i + 1];
  if (next) return next.type === 'ThrowStatement' || next.type === 'ReturnStatement';
  return block === fn.body;
}

/**
 * `request.signal` of a request handler's own `Request` parameter (`GET(req: NextRequest)`, a
 * Worker's or `Deno.serve`'s `fetch(request)`), used right in the handler (the code `root` is
 * guarded in the same function), which answers with a `Response`: it aborts when the client has
 * gone, and nobody reads the fallback answered then.
 */
function ownRequestSignal(source: Node, at: Node, root: Node, types: LazyTypes): boolean {
  const src = unwrap(source);
  if (src.type !== 'MemberExpression' || propName(src) !== 'signal') return false;
  const object = unwrap(src.object);
  if (object.type !== 'Identifier') return false;
  const fn = ownerFunction(at);
  if (!fn || ownerFunction(root) !== fn) return false;
  const param = fn.params.find((p): p is TSESTree.Identifier => p.type === 'Identifier' && p.name === object.name);
  if (!param || declaredNames(fn.body).has(object.name)) return false;
  const annotation = param.typeAnnotation?.typeAnnotation;
  const requestName = /^(Request|NextRequest)$/;
  const returnName = /^(Response|NextResponse)$/;
  const s = types.get();
  const tsParam = s?.tsNodeFor(param);
  const tsFn = s?.tsNodeFor(fn);
  const annotated = !!annotation && requestName.test(typeRefName(annotation) ?? '');
  if (s && tsParam && tsFn && ts.isFunctionLike(tsFn)) {
    const paramType = s.checker.getTypeAtLocation(tsParam);
    // `NextRequest` from a `next/server` that is not installed: what the annotation says.
    const untypedParam = !!(paramType.flags & ts.TypeFlags.Any);
    if (untypedParam ? !annotated : !nonNullishParts(paramType).every((t) => requestName.test(t.getSymbol()?.getName() ?? ''))) return false;
    const signature = s.checker.getSignatureFromDeclaration(tsFn);
    if (!signature) return false;
    const returned = s.checker.getReturnTypeOfSignature(signature);
    const answer = nonNullishParts(s.checker.getAwaitedType(returned) ?? returned);
    if (answer.length > 0 && answer.every((t) => !!(t.flags & ts.TypeFlags.Any))) return returnsResponses(fn);
    return answer.length > 0 && answer.every((t) => returnName.test(t.getSymbol()?.getName() ?? ''));
  }
  // Without types: what the annotations say, or the answers the handler writes.
  const ret = fn.returnType?.typeAnnotation;
  const inner = ret && typeRefName(ret) === 'Promise' && ret.type === 'TSTypeReference' ? ret.typeArguments?.params[0] : ret;
  return annotated && (inner ? returnName.test(typeRefName(inner) ?? '') : returnsResponses(fn));
}

/**
 * Every `return` of the function (not of functions in it) gives a response it builds:
 * `new Response(...)`, `Response.json(...)`, `NextResponse.redirect(...)`, `new NextResponse(...)`
 * (a route handler whose `next/server` import has no types).
 */
function returnsResponses(fn: FunctionNode): boolean {
  if (fn.body.type !== 'BlockStatement') return isResponseMade(unwrap(fn.body));
  let count = 0;
  let other = false;
  visit(fn.body, (n) => {
    if (n.type !== 'ReturnStatement' || other) return;
    count++;
    if (!n.argument || !isResponseMade(unwrap(n.argument))) other = true;
  }, isFunction);
  return count > 0 && !other;
}

function isResponseMade(e: Node): boolean {
  const made = e.type === 'NewExpression' ? unwrap(e.callee) : e.type === 'CallExpression' && unwrap(e.callee).type === 'MemberExpression' ? unwrap((unwrap(e.callee) as TSESTree.MemberExpression).object) : undefined;
  return made?.type === 'Identifier' && /^(Response|NextResponse)$/.test(made.name);
}

/**
 * A loop around the handler that ends through a flag cleared where the signal is aborted:
 * `while (running) { try { await receive({ abortSignal: ctrl.signal }) } catch { log } }` with
 * `process.once('SIGTERM', () => { running = false; ctrl.abort(); })`. Every signal the guarded
 * code hands over is a controller's of this file, and every `abort()` of it sits in a function that
 * also sets the flag to the value that ends the loop (before it, or after it with no `await` in
 * between, so the catch runs once the flag is set), in a block around the `abort()`.
 */
function flagStopsLoop(ctx: TsRuleContext, from: Node, guarded: Node, signals: SignalParam[], types: LazyTypes): boolean {
  const names = new Set(['signal', ...signals.map((s) => s.name)]);
  const controllers = new Set<string>();
  let other = false;
  for (const src of handedSignalSources(guarded, names, types).sources) {
    const m = unwrap(src);
    if (m.type === 'MemberExpression' && propName(m) === 'signal' && chainRoot(m.object)) controllers.add(normalized(ctx, m.object));
    else other = true;
  }
  if (other || controllers.size === 0) return false;
  for (let n: Node | undefined = from.parent; n && !isFunction(n); n = n.parent) {
    if (!((n.type === 'WhileStatement' || n.type === 'DoWhileStatement' || n.type === 'ForStatement') && n.test)) continue;
    const flags = loopFlags(ctx, n.test);
    if (flags.size > 0 && [...controllers].every((c) => abortsClearFlag(ctx, c, flags))) return true;
  }
  return false;
}

/**
 * What can abort the signals that the calls in `guarded` hand over (see signalSources), the
 * handler's own request signal left out; `timeout`: a deadline is among them.
 */
function handedSignalSources(guarded: Node, names: Set<string>, types: LazyTypes): { sources: Node[]; timeout: boolean } {
  const out = { sources: [] as Node[], timeout: false };
  visit(guarded, (n) => {
    if (n.type !== 'CallExpression') return;
    for (const arg of n.arguments) {
      for (const v of signalValues(arg, names)) {
        const found = signalSources(v);
        out.timeout ||= found.timeout;
        for (const src of found.sources) if (!ownRequestSignal(src, n, guarded, types)) out.sources.push(src);
      }
    }
  });
  return out;
}

/** The flags a loop condition goes on with, and the value that ends it: `running` → false, `!this.stopped` → true (also in `a && b`). */
function loopFlags(ctx: TsRuleContext, test: Node, out = new Map<string, boolean>()): Map<string, boolean> {
  const t = unwrap(test);
  if (t.type === 'LogicalExpression' && t.operator === '&&') {
    loopFlags(ctx, t.left, out);
    loopFlags(ctx, t.right, out);
  } else if (t.type === 'UnaryExpression' && t.operator === '!') {
    const flag = unwrap(t.argument);
    if (flagReference(flag)) out.set(normalized(ctx, flag), true);
  } else if (flagReference(t)) out.set(normalized(ctx, t), false);
  return out;
}

/** `running`, `this.running`, `state.stopped`: a name or a plain member chain. */
function flagReference(n: Node): boolean {
  if (n.type === 'Identifier') return n.name !== 'undefined';
  return n.type === 'MemberExpression' && !n.computed && chainRoot(n) !== undefined;
}

function abortsClearFlag(ctx: TsRuleContext, controller: string, flags: Map<string, boolean>): boolean {
  let aborts = 0;
  let cleared = true;
  visit(ctx.ast, (n) => {
    if (n.type !== 'CallExpression' || methodName(n) !== 'abort') return;
    if (normalized(ctx, (unwrap(n.callee) as TSESTree.MemberExpression).object) !== controller) return;
    aborts++;
    const fn = ownerFunction(n);
    if (!fn || !setsFlagWith(ctx, fn, n, flags)) cleared = false;
  });
  return aborts > 0 && cleared;
}

function setsFlagWith(ctx: TsRuleContext, fn: FunctionNode, abort: Node, flags: Map<string, boolean>): boolean {
  const sets: Node[] = [];
  const waits: Node[] = [];
  visit(fn.body, (n) => {
    if (n.type === 'AwaitExpression' || n.type === 'YieldExpression') waits.push(n);
    if (n.type !== 'AssignmentExpression' || n.operator !== '=') return;
    const value = unwrap(n.right);
    const ends = flags.get(normalized(ctx, n.left));
    if (ends === undefined || value.type !== 'Literal' || value.value !== ends) return;
    // The statement runs whenever the abort does: its block holds the abort.
    const st = n.parent;
    const block = st?.type === 'ExpressionStatement' ? st.parent : undefined;
    if (block && abort.range[0] >= block.range[0] && abort.range[1] <= block.range[1]) sets.push(n);
  }, (n) => isFunction(n) && n !== fn);
  return sets.some((set) => set.range[0] < abort.range[0] || !waits.some((w) => w.range[0] > abort.range[1] && w.range[1] < set.range[0]));
}

/**
 * `controller.signal` of a local `new AbortController()` whose every `abort()` is a deadline
 * (inside a `setTimeout` callback) or comes after the work (in a `finally` block): like
 * `AbortSignal.timeout(...)`, giving up quietly is a choice, and an abort from `finally`
 * reaches no handler.
 */
function onlyTimesOut(arg: Node, call: Node): boolean {
  const found: TSESTree.Identifier[] = [];
  visit(arg, (n) => {
    if (n.type === 'MemberExpression' && SIGNAL_KEYS.has(propName(n) ?? '') && unwrap(n.object).type === 'Identifier') found.push(unwrap(n.object) as TSESTree.Identifier);
  });
  if (found.length !== 1) return false;
  const name = found[0].name;
  let fn: Node | undefined = ownerFunction(call);
  while (fn && !declaredNames(fn).has(name)) fn = ownerFunction(fn);
  if (!fn) return false;
  let made = false;
  let aborts = 0;
  let quiet = true;
  visit(fn, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && n.init && unwrap(n.init).type === 'NewExpression') {
      made = ctxFreeName((unwrap(n.init) as TSESTree.NewExpression).callee) === 'AbortController';
    }
    if (n.type !== 'CallExpression' || methodName(n) !== 'abort') return;
    const callee = unwrap(n.callee) as TSESTree.MemberExpression;
    if (unwrap(callee.object).type !== 'Identifier' || (unwrap(callee.object) as TSESTree.Identifier).name !== name) return;
    aborts++;
    if (!insideTimerCallback(n) && !finallyTry(n) && !abortsAfterAwait(n, call)) quiet = false;
  });
  return made && aborts > 0 && quiet;
}

/**
 * An `abort()` made, in the function of the call, after the `await` that holds the call has ended
 * (`await Promise.race([closed, sleep(ms, undefined, { signal: ac.signal }).catch(() => {})]); ac.abort();`):
 * it cancels what is left over once the work is done, the loser of a race, and reaches no handler that matters.
 */
function abortsAfterAwait(abort: Node, call: Node): boolean {
  const owner = ownerFunction(call);
  if (ownerFunction(abort) !== owner) return false;
  let awaited: Node | undefined;
  for (let n = call.parent; n && n !== owner; n = n.parent) if (n.type === 'AwaitExpression') awaited = n;
  awaited ??= awaitedThroughArray(call, owner);
  if (!awaited || abort.range[0] <= awaited.range[1]) return false;
  // Not when a loop holds both: the next turn's work would be aborted by this turn's abort.
  for (let n = abort.parent; n && n !== owner; n = n.parent) if (isLoop(n) && n.range[0] <= call.range[0] && call.range[1] <= n.range[1]) return false;
  return true;
}

const PROMISE_COMBINATORS = new Set(['race', 'all', 'any', 'allSettled']);

/**
 * The `await Promise.race(list)` (or `all`/`any`/`allSettled`) that waits for a call kept in a local
 * array, `const list = [work(signal).catch(...)]` or `list.push(work(signal).catch(...))`, later in
 * the function (`owner`).
 */
function awaitedThroughArray(call: Node, owner: Node | undefined): Node | undefined {
  if (!owner) return undefined;
  let n: Node = call;
  // Up the chain the call starts: `work(signal).catch(() => undefined)`.
  while (n.parent && ((n.parent.type === 'MemberExpression' && n.parent.object === n) || (n.parent.type === 'CallExpression' && n.parent.callee === n) || n.parent.type === 'TSAsExpression' || n.parent.type === 'TSNonNullExpression')) n = n.parent;
  const p = n.parent;
  let name: string | undefined;
  if (p?.type === 'ArrayExpression' && p.parent?.type === 'VariableDeclarator' && p.parent.init === p && p.parent.id.type === 'Identifier') name = p.parent.id.name;
  else if (p?.type === 'CallExpression' && p.arguments.includes(n as TSESTree.CallExpressionArgument) && methodName(p) === 'push') {
    const target = unwrap((unwrap(p.callee) as TSESTree.MemberExpression).object);
    if (target.type === 'Identifier') name = target.name;
  }
  if (!name) return undefined;
  let found: Node | undefined;
  visit(owner, (m) => {
    if (found || m.type !== 'AwaitExpression' || m.range[0] < call.range[1]) return;
    const arg = unwrap(m.argument);
    if (arg.type !== 'CallExpression' || arg.arguments.length !== 1) return;
    const callee = unwrap(arg.callee);
    if (callee.type !== 'MemberExpression' || unwrap(callee.object).type !== 'Identifier' || (unwrap(callee.object) as TSESTree.Identifier).name !== 'Promise' || !PROMISE_COMBINATORS.has(propName(callee) ?? '')) return;
    const list = unwrap(arg.arguments[0]);
    if (list.type === 'Identifier' && list.name === name) found = m;
  }, (m) => isFunction(m) && m !== owner);
  return found;
}

function insideTimerCallback(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    const p = n.parent;
    return p?.type === 'CallExpression' && p.arguments[0] === n && ['setTimeout', 'setInterval'].includes(ctxFreeName(p.callee) ?? '');
  }
  return false;
}

/**
 * The values an argument hands over as an AbortSignal: the argument itself (`signal`,
 * `controller.signal`), or what an options bag gives its signal key (`{ signal }`, through spreads
 * and nested bags: `{ fetchOptions: { signal } }`).
 */
function signalValues(arg: Node, names: Set<string>): Node[] {
  const a = unwrap(arg.type === 'SpreadElement' ? arg.argument : arg);
  // A Temporal activity's cancellation signal, handed over as an argument (`sendMail(mail, cancellationSignal())`).
  if (activitySignal(a)) return [a];
  if (a.type === 'Identifier') return names.has(a.name) ? [a] : [];
  // `controller.signal`, `this.ctrl.signal` (not `new AbortController().signal`, which no one can abort).
  if (a.type === 'MemberExpression') return SIGNAL_KEYS.has(propName(a) ?? '') && chainRoot(a.object) !== undefined ? [a] : [];
  if (a.type !== 'ObjectExpression') return [];
  const out: Node[] = [];
  for (const prop of a.properties) {
    if (prop.type === 'SpreadElement') {
      out.push(...signalValues(prop.argument, names));
      continue;
    }
    if (!SIGNAL_KEYS.has(keyName(prop) ?? '')) {
      // `{ fetchOptions: { signal } }`
      if (prop.value.type === 'ObjectExpression') out.push(...signalValues(prop.value, names));
      continue;
    }
    const v = unwrap(prop.value);
    if (v.type === 'Identifier' && v.name === 'undefined') continue;
    if (v.type === 'Literal' && v.value === null) continue;
    // `{ signal: true }`: a flag that asks a helper to make a signal of its own (a timeout wrapper's
    // `withTimeout(fn, { signal: true, timeout })`), not a signal handed over.
    if (v.type === 'Literal' && typeof v.value !== 'object') continue;
    // A bare timeout signal aborts only on a deadline: giving up quietly then is a choice, not a swallowed cancellation.
    if (v.type === 'CallExpression' && v.callee.type === 'MemberExpression' && unwrap(v.callee.object).type === 'Identifier' && (unwrap(v.callee.object) as TSESTree.Identifier).name === 'AbortSignal' && propName(v.callee) === 'timeout') continue;
    out.push(v);
  }
  return out;
}

/**
 * A Temporal activity's cancellation signal: `cancellationSignal()` (from `@temporalio/activity`),
 * `Context.current().cancellationSignal`, and the same held in a name (`ctx.cancellationSignal`, a
 * destructured `cancellationSignal`). It aborts when the activity is cancelled (with a
 * `CancelledFailure`), and an activity that swallows it returns as if it had succeeded.
 */
function activitySignal(node: Node): boolean {
  const a = unwrap(node);
  if (a.type === 'Identifier') return a.name === 'cancellationSignal' || renamedActivitySignal(a);
  if (a.type === 'MemberExpression') return propName(a) === 'cancellationSignal';
  if (a.type !== 'CallExpression' || a.arguments.length > 0) return false;
  const callee = unwrap(a.callee);
  return (callee.type === 'Identifier' && callee.name === 'cancellationSignal') || (callee.type === 'MemberExpression' && propName(callee) === 'cancellationSignal');
}

/** `const { cancellationSignal: signalOfActivity } = Context.current()`: the name read is the activity's signal. */
function renamedActivitySignal(id: TSESTree.Identifier): boolean {
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    const body = n.type === 'BlockStatement' || n.type === 'Program' ? n.body : undefined;
    if (!body) continue;
    for (const st of body) {
      if (st.type !== 'VariableDeclaration') continue;
      for (const d of st.declarations) {
        if (d.id.type !== 'ObjectPattern' || !d.init) continue;
        const init = unwrap(d.init);
        if (init.type !== 'CallExpression' || methodName(init) !== 'current') continue;
        if (d.id.properties.some((p) => p.type === 'Property' && keyName(p) === 'cancellationSignal' && p.value.type === 'Identifier' && p.value.name === id.name)) return true;
      }
    }
  }
  return false;
}

/** Whether a handler body treats every error alike and lets the function carry on normally. */
function swallows(body: Node, errName: string | undefined): boolean {
  let handled = false;
  visit(body, (n) => {
    if (handled) return;
    switch (n.type) {
      case 'ThrowStatement':
        handled = true;
        return;
      case 'ReturnStatement':
        if (n.argument && returnsFailure(n.argument)) handled = true;
        return;
      case 'Literal':
        if (typeof n.value === 'string' && /^(AbortError|TimeoutError|ABORT_ERR|ERR_CANCELED|CanceledError)$/.test(n.value)) handled = true;
        return;
      case 'MemberExpression': {
        const key = propName(n);
        if (key === 'aborted' || key === 'throwIfAborted') handled = true;
        else if (key === 'name' && errName && ctxFreeName(n.object) === errName && unwrap(n.object).type === 'Identifier') handled = true;
        return;
      }
      case 'BinaryExpression':
        if (n.operator === 'instanceof') {
          const right = ctxFreeName(n.right);
          if (right && /^(DOMException|.*Abort.*|.*Cancel.*)$/.test(right)) handled = true;
        }
        return;
      case 'CallExpression': {
        const callee = unwrap(n.callee);
        const name = ctxFreeName(callee);
        if (name && /^is.*(abort|cancel)/i.test(name)) handled = true;
        else if (name && PROPAGATING_FUNCTIONS.test(name) && n.arguments.length > 0) handled = true;
        else if (isProcessExitCall(n)) handled = true;
        else if (callee.type === 'MemberExpression' && name === 'reject' && ctxFreeName(callee.object) === 'Promise') handled = true;
        // `res.status(502).json(...)`, `res.writeHead(502)`: the client is told of the failure.
        else if (callee.type === 'MemberExpression' && name && STATUS_METHODS.test(name) && errorResponse(n)) handled = true;
        // The broker is told: the delivery goes back to the queue or to its dead letters.
        else if (callee.type === 'MemberExpression' && brokerFailure(n, callee, name)) handled = true;
        return;
      }
      case 'AssignmentExpression':
        if (errorStatusAssignment(n) || setsExitCode(n)) handled = true;
        return;
      default:
        return;
    }
  }, (n) => isFunction(n));
  // `.catch(() => ({ statusCode: 503 }))`: an arrow that answers a failure.
  if (handled || (body.type === 'ObjectExpression' && returnsFailure(body))) return false;
  // The error handed on (returned, stored, passed to a non-logging call), even from a closure:
  // propagated. An expression body that is such a call (`(err) => out.destroy(err)`) hands it on itself.
  const handOff = (body.type === 'CallExpression' || body.type === 'NewExpression') && !isLoggingCall(body) && body.parent;
  if (errName && referencesTo(body, errName).some((ref) => propagates(ref, body) || (handOff && propagates(ref, handOff)))) return false;
  return true;
}

/** `error.value`, `this.error`, `state.error`: UI state that shows a failure. */
function failureState(target: Node): boolean {
  const t = unwrap(target);
  if (t.type !== 'MemberExpression') return false;
  const key = propName(t) ?? '';
  const holder = key === 'value' ? ctxFreeName(t.object) ?? '' : key;
  return /^_?(error|err|failure|problem|errorMessage|loadError)$/i.test(holder);
}

/** `setError`, `setLoadFailed`, `setStatus`: a state setter that shows a failure. */
const FAILURE_SETTER = /^set\w*(Error|Err|Failure|Failed|Problem|Message|Status)$/;

/** Whether a catch body puts the error (or a message) into UI state that shows a failure. */
function showsFailure(body: Node): boolean {
  let found = false;
  visit(body, (n) => {
    if (found) return;
    if (n.type === 'AssignmentExpression' && failureState(n.left)) found = true;
    else if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && FAILURE_SETTER.test(n.callee.name) && n.arguments.length > 0) found = true;
  }, (n) => isFunction(n));
  return found;
}

/** `return { ok: false }`, `return { error: ... }`, `return err(...)`: a failure the caller can see. */
function returnsFailure(arg: Node): boolean {
  const a = unwrap(arg);
  if (a.type === 'ObjectExpression') {
    return a.properties.some((p) => {
      if (p.type !== 'Property') return false;
      const key = keyName(p);
      if (key && /^(error|err|errors|failure|failed|reason|exception)$/i.test(key)) return true;
      // A Lambda proxy result `{ statusCode: 503 }`, Azure's `{ status: 503 }`: an HTTP error.
      if ((key === 'statusCode' || key === 'status') && isErrorStatus(unwrap(p.value))) return true;
      // `{ batchItemFailures: [{ itemIdentifier }] }`: the records go back to the queue.
      if (key === 'batchItemFailures' && unwrap(p.value).type === 'ArrayExpression' && (unwrap(p.value) as TSESTree.ArrayExpression).elements.length > 0) return true;
      return (key === 'ok' || key === 'success') && p.value.type === 'Literal' && p.value.value === false;
    });
  }
  if (a.type === 'CallExpression' || a.type === 'NewExpression') {
    const name = ctxFreeName(a.callee);
    return (!!name && /^(err|error|fail|failure|left|reject)$|Error$/i.test(name)) || errorResponse(a);
  }
  return false;
}

/**
 * A failure handed back to a message broker: amqplib's `channel.nack(msg, false, true)` (and
 * Pub/Sub's `message.nack()`, NATS's `msg.nak()`), or a record added to a Lambda partial batch
 * response (`batchItemFailures.push({ itemIdentifier: record.messageId })`), which SQS, Kinesis
 * and DynamoDB streams deliver again.
 */
function brokerFailure(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, name: string | undefined): boolean {
  if (name === 'nack' || name === 'nak') return true;
  if (name !== 'push') return false;
  if (ctxFreeName(callee.object) === 'batchItemFailures') return true;
  const item = call.arguments[0] && unwrap(call.arguments[0]);
  return item?.type === 'ObjectExpression' && item.properties.some((p) => p.type === 'Property' && keyName(p) === 'itemIdentifier');
}

/** Methods that set a response's status: Express's `res.status(502)`, Fastify's `reply.code(503)`, Node's `res.writeHead(502)`. */
const STATUS_METHODS = /^(status|code|sendStatus|writeHead)$/;

/** A literal HTTP error status (4xx or 5xx). */
function isErrorStatus(n: Node | undefined): boolean {
  return !!n && n.type === 'Literal' && typeof n.value === 'number' && n.value >= 400 && n.value < 600;
}

/** `res.statusCode = 502` (Node's `http.ServerResponse`), `ctx.status = 502` (Koa): the response is an HTTP error. */
function errorStatusAssignment(n: TSESTree.AssignmentExpression): boolean {
  const left = unwrap(n.left);
  return n.operator === '=' && left.type === 'MemberExpression' && /^(statusCode|status)$/.test(propName(left) ?? '') && isErrorStatus(unwrap(n.right));
}

/** `process.exitCode = 1`: the process ends with a failure status, as with `process.exit(1)`. */
function setsExitCode(n: TSESTree.AssignmentExpression): boolean {
  const left = unwrap(n.left);
  return n.operator === '=' && left.type === 'MemberExpression' && propName(left) === 'exitCode' && ctxFreeName(left.object) === 'process';
}

/**
 * An HTTP error response: `new Response(body, { status: 502 })`, `Response.json(x, { status: 500 })`,
 * Hono's `c.json(x, 502)`, `res.status(502).json(...)`, `reply.code(503).send()`, `res.writeHead(502).end()`.
 */
function errorResponse(expr: Node): boolean {
  let found = false;
  visit(expr, (n) => {
    if (found) return;
    if (n.type === 'Property' && keyName(n) === 'status' && isErrorStatus(n.value)) found = true;
    else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
      const method = propName(n.callee) ?? '';
      if (STATUS_METHODS.test(method) && isErrorStatus(n.arguments[0])) found = true;
      else if (/^(json|text|html|body|send|newResponse)$/.test(method) && n.arguments.slice(1).some((arg) => isErrorStatus(arg))) found = true;
    }
  }, (n) => isFunction(n));
  return found;
}

/** Whether a reference to the caught error leaves the handler (rather than being logged or inspected). */
/** Whether `node` is (part of) an argument of a logging call, within the same statement. */
function insideLoggingCall(node: Node, stop: Node): boolean {
  for (let n = node.parent; n && n !== stop; n = n.parent) {
    if (n.type === 'CallExpression' && isLoggingCall(n)) return true;
    if (isFunction(n) || n.type.endsWith('Statement') || n.type === 'VariableDeclarator' || n.type === 'AssignmentExpression') return false;
  }
  return false;
}

function propagates(ref: Node, stop: Node): boolean {
  let child: Node = ref;
  for (let n = ref.parent; n && n !== stop; child = n, n = n.parent) {
    switch (n.type) {
      case 'CallExpression':
      case 'NewExpression': {
        if (n.callee === child) continue; // `e.toString()`
        if (isLoggingCall(n)) return false;
        const name = ctxFreeName(n.callee);
        // `setError(e)`, `setError(e.message)`: a React state setter shows it, it is not handed on.
        if (name && FAILURE_SETTER.test(name)) return false;
        if (name && /^(String|stringify|inspect|format|serializeError|toString|getMessage|errorMessage)$/.test(name)) continue;
        // `logger.warn('failed', describe(err))`: a helper whose result only goes to the log.
        return !insideLoggingCall(n, stop);
      }
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'YieldExpression':
        return true;
      case 'ArrowFunctionExpression':
        return n.body === child;
      case 'AssignmentExpression':
        // `error.value = e` (a Vue ref): shown to the user, not handed on.
        return n.right === child && !failureState(n.left);
      case 'VariableDeclarator':
        return n.init === child;
      case 'IfStatement':
      case 'SwitchStatement':
      case 'ExpressionStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ForStatement':
        return false;
      case 'ConditionalExpression':
        if (n.test === child) return false;
        continue;
      default:
        continue;
    }
  }
  return false;
}

function ctxFreeName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'MemberExpression') return propName(n);
  return undefined;
}

function isLoggingCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') return LOGGING_FUNCTIONS.test(callee.name);
  if (callee.type === 'MemberExpression') {
    const objName = ctxFreeName(callee.object);
    if (objName && LOGGING_OBJECTS.test(objName)) return true;
    const m = propName(callee);
    if (m === 'error' && errorSink(callee.object)) return false;
    return !!m && LOGGING_FUNCTIONS.test(m);
  }
  return false;
}

const SINK_NAMES = /^(controller|ctrl|streamController|subscriber|observer)$/i;
const STREAM_SOURCE_METHODS = new Set(['start', 'pull', 'transform', 'flush', 'write']);

/**
 * The receiver of an `.error(err)` that hands the error on instead of logging it: a web stream's
 * controller (`controller.error(err)` in a ReadableStream `start()`, a TransformStream
 * `transform()`: the consumer's `read()` rejects with it), or an Observable's subscriber
 * (`new Observable((subscriber) => ...)`, `subscriber.error(err)`).
 */
function errorSink(target: Node): boolean {
  const t = unwrap(target);
  const name = ctxFreeName(t);
  if (name && SINK_NAMES.test(name)) return true;
  if (t.type !== 'Identifier') return false;
  const param = findParam(t);
  let fn: Node | undefined = param?.parent;
  if (fn?.type === 'AssignmentPattern') fn = fn.parent;
  if (!fn || !isFunction(fn)) return false;
  const holder = fn.parent;
  // `start(controller) { ... }`, `transform: async (chunk, c) => { ... }`, in an object literal or a class.
  if ((holder?.type === 'Property' || holder?.type === 'MethodDefinition') && holder.value === fn && STREAM_SOURCE_METHODS.has(keyName(holder) ?? '')) return true;
  // `new Observable((subscriber) => { ... })`
  return holder?.type === 'NewExpression' && holder.arguments[0] === fn && ctxFreeName(holder.callee) === 'Observable';
}

/**
 * The condition text of the inserted re-throw: `signal.aborted` on the function's own signal;
 * otherwise on the signals the guarded code hands over (`controller.signal.aborted`, also the
 * members of an `AbortSignal.any([...])` other than deadlines) when each is a parameter or hangs
 * off a `const`, which still holds that signal when the catch runs (not `this.controller`, which
 * a newer call may have replaced). Else the error's name: `AbortError`, and `TimeoutError` too
 * unless a deadline of the code's own is part of the signal (a signal made by
 * `AbortSignal.timeout()` rejects with a `TimeoutError`).
 */
function abortCheck(ctx: TsRuleContext, signals: SignalParam[], errName: string, guarded: Node, types: LazyTypes): string {
  const s = signals[0];
  if (s) {
    const expr = s.kind === 'signal' ? `${s.name}${s.optional ? '?.' : '.'}aborted` : `${s.name}${s.optional ? '?.' : '.'}${s.key ?? 'signal'}?.aborted`;
    return expr;
  }
  const sources = new Map<string, Node>();
  let unstable = false;
  const handed = handedSignalSources(guarded, new Set(['signal']), types);
  for (const src of handed.sources) {
    if (stableSignal(ctx, src)) sources.set(normalized(ctx, src), src);
    else unstable = true;
  }
  const timeout = handed.timeout;
  if (!unstable && sources.size > 0 && sources.size <= 2) return [...sources.keys()].map((t) => `${t}.aborted`).join(' || ');
  const name = isTsFile(ctx.filePath) ? `(${errName} as Error).name` : `${errName}?.name`;
  // A Temporal activity's `sleep()` or `cancelled()` rejects with a `CancelledFailure`.
  if (sources.size === 0 && !unstable && handsActivitySignal(guarded, ctx)) return `${name} === 'CancelledFailure'`;
  return timeout ? `${name} === 'AbortError'` : `${name} === 'AbortError' || ${name} === 'TimeoutError'`;
}

/** A signal that is still the same object when the catch runs: a parameter or `const`, or a member chain off a `const` (`controller.signal`, `shutdown.signal`). */
function stableSignal(ctx: TsRuleContext, source: Node): boolean {
  const src = unwrap(source);
  // A Temporal activity has one cancellation signal, whichever way it is read.
  if (activitySignal(src)) return true;
  if (src.type !== 'Identifier' && !(src.type === 'MemberExpression' && !src.computed)) return false;
  let root: Node = src;
  while (root.type === 'MemberExpression') {
    if (root.computed || root.optional) return false;
    root = unwrap(root.object);
  }
  if (root.type !== 'Identifier') return false;
  if (constDeclarator(root)) return true;
  const name = root.name;
  const fn = (() => {
    for (let n: Node | undefined = root.parent; n; n = n.parent) if (isFunction(n) && n.params.some((p) => patternNames(p).includes(name))) return n;
    return undefined;
  })();
  // A parameter nobody assigns to, or an import.
  if (fn) return !referencesTo(fn.body, name).some((r) => r.parent?.type === 'AssignmentExpression' && r.parent.left === r);
  return ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && st.importKind !== 'type' && st.specifiers.some((sp) => sp.local.name === name));
}

function freshErrorName(body: Node): string {
  for (const name of ['e', 'err', 'error', 'abortError']) if (referencesTo(body, name).length === 0 && !declaredNames(body).has(name)) return name;
  return 'caughtError';
}

function indentOf(ctx: TsRuleContext, offset: number): string {
  const line = ctx.lines.lineText(ctx.lines.positionAt(offset).line);
  return /^[ \t]*/.exec(line)![0];
}

/** An edit putting `stmt` first in a block. */
function insertAtBlockStart(ctx: TsRuleContext, block: TSESTree.BlockStatement, stmt: string): TextEdit {
  const open = block.range[0] + 1;
  let at = ctx.lines.positionAt(open);
  const first = block.body[0];
  const eol = ctx.lines.eol(at.line);
  // After a comment that ends the `{` line, so the comment stays where it is.
  const lineEnd = ctx.lines.lineEnd(at.line);
  const restOfLine = ctx.text.slice(open, lineEnd);
  const breaksAfter = /^\s*(\/\/.*|\/\*((?!\*\/).)*\*\/\s*)?$/.test(restOfLine) && block.range[1] > lineEnd;
  if (breaksAfter) at = ctx.lines.positionAt(lineEnd);
  if (first) {
    const firstPos = ctx.lines.positionAt(first.range[0]);
    if (firstPos.line !== ctx.lines.positionAt(open).line) return { range: { start: at, end: at }, newText: `${eol}${indentOf(ctx, first.range[0])}${stmt}` };
    return { range: { start: at, end: at }, newText: ` ${stmt}` };
  }
  const closePos = ctx.lines.positionAt(block.range[1] - 1);
  if (closePos.line !== ctx.lines.positionAt(open).line) {
    const base = indentOf(ctx, block.range[1] - 1);
    return { range: { start: at, end: at }, newText: `${eol}${base}${indentUnit(ctx, base)}${stmt}` };
  }
  return { range: ctx.rangeOf(block), newText: `{ ${stmt} }` };
}

function indentUnit(ctx: TsRuleContext, base: string): string {
  if (base.includes('\t')) return '\t';
  const m = /^( +)\S/m.exec(ctx.text);
  return m && m[1].length <= 8 ? m[1] : '  ';
}

function catchClauseFix(ctx: TsRuleContext, clause: TSESTree.CatchClause, signals: SignalParam[], guarded: Node, types: LazyTypes, onAbort: 'throw' | 'return' = 'throw'): Fix[] {
  const edits: TextEdit[] = [];
  let errName: string;
  if (clause.param?.type === 'Identifier') errName = clause.param.name;
  else if (clause.param) return [];
  else {
    errName = freshErrorName(clause.body);
    // `catch {` becomes `catch (e) {`.
    edits.push({ range: ctx.lines.range(clause.range[0] + 'catch'.length, clause.body.range[0]), newText: ` (${errName}) ` });
  }
  const stmt = `if (${abortCheck(ctx, signals, errName, guarded, types)}) ${onAbort === 'throw' ? `throw ${errName}` : 'return'};`;
  edits.push(insertAtBlockStart(ctx, clause.body, stmt));
  return [{ title: onAbort === 'throw' ? 'Re-throw the abort' : 'Ignore the abort', safe: false, edits }];
}

/** Calls that keep a promise's work alive and drop its value: a Worker's or service worker's `waitUntil`, Next.js's `after`. */
const KEEP_ALIVE = new Set(['waitUntil', 'after']);

/**
 * Whether the function around `node` gives no result that a caller uses: it returns no value,
 * and it is called on the spot as a statement (an async IIFE) or handed to another call as a
 * callback (`after(async () => ...)`, `setTimeout(async () => ...)`).
 */
function noCallerResult(node: Node): boolean {
  const fn = ownerFunction(node);
  if (!fn) return false;
  let returnsValue = false;
  visit(fn.body, (n) => {
    if (n.type === 'ReturnStatement' && n.argument && ownerFunction(n) === fn) returnsValue = true;
  });
  if (returnsValue || fn.body.type !== 'BlockStatement') return false;
  const named = functionName(fn);
  if (named) return onlyStartedAsStatements(named);
  const { parent, node: outer } = outerParent(fn);
  if (parent?.type === 'CallExpression' && parent.callee === outer) {
    const { parent: p, node: call } = outerParent(parent);
    if (p?.type === 'ExpressionStatement' || (p?.type === 'UnaryExpression' && p.operator === 'void')) return true;
    // `ctx.waitUntil((async () => { ... })())`: the runtime keeps the work alive and drops its value.
    if (p?.type !== 'CallExpression' || !p.arguments.includes(call as TSESTree.CallExpressionArgument)) return false;
    return KEEP_ALIVE.has(ctxFreeName(p.callee) ?? '');
  }
  return parent?.type === 'CallExpression' && parent.arguments.includes(outer as TSESTree.CallExpressionArgument);
}

/** The name a function is declared under (`function watch() {}`, `const watch = async () => {}`), with the node that declares it. */
function functionName(fn: FunctionNode): { name: string; declaration: Node } | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id ? { name: fn.id.name, declaration: fn } : undefined;
  const { parent } = outerParent(fn);
  if (parent?.type === 'VariableDeclarator' && parent.init && parent.id.type === 'Identifier' && parent.parent?.type === 'VariableDeclaration' && parent.parent.kind === 'const') {
    return { name: parent.id.name, declaration: parent.parent };
  }
  return undefined;
}

/**
 * Whether a module's own function is only ever started and left to run: every mention of its
 * name in the file is a call made as a statement (`stopOnDisconnect(emitter, controller);`) or
 * voided, and the file does not export it (an export, or any other mention, may take its result).
 */
function onlyStartedAsStatements(named: { name: string; declaration: Node }): boolean {
  const { name, declaration } = named;
  if (declaration.parent?.type === 'ExportNamedDeclaration' || declaration.parent?.type === 'ExportDefaultDeclaration') return false;
  let root: Node = declaration;
  while (root.parent) root = root.parent;
  let calls = 0;
  let other = false;
  visit(root, (n) => {
    if (other || n.type !== 'Identifier' || n.name !== name) return;
    const parent = n.parent;
    // The declaration's own name, and property keys and accesses that only share the name.
    if ((parent?.type === 'FunctionDeclaration' || parent?.type === 'VariableDeclarator') && (parent as { id?: Node }).id === n) return;
    if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
    if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && parent.key === n && !parent.computed && !(parent.type === 'Property' && parent.shorthand)) return;
    const { parent: outer, node: call } = parent?.type === 'CallExpression' && parent.callee === n ? outerParent(parent) : { parent: undefined, node: n };
    if (outer?.type === 'ExpressionStatement' || (outer?.type === 'UnaryExpression' && outer.operator === 'void' && call)) {
      calls++;
      return;
    }
    other = true;
  });
  return !other && calls > 0;
}

/** A handler that does nothing anyone sees: empty, a constant, or logging only. */
function quietHandler(body: Node): boolean {
  const quiet = (e: Node): boolean => {
    if (e.type === 'Literal' || (e.type === 'Identifier' && e.name === 'undefined')) return true;
    if (e.type === 'UnaryExpression' && e.operator === 'void') return true;
    if (e.type !== 'CallExpression') return false;
    const callee = unwrap(e.callee);
    const object = callee.type === 'MemberExpression' ? unwrap(callee.object) : undefined;
    // `this.logger.warn(...)`, also a private field (`this.#log.debug(...)`).
    const member = object?.type === 'MemberExpression' && (object.property.type === 'Identifier' || object.property.type === 'PrivateIdentifier') ? object.property.name.replace(/^#/, '') : '';
    const name = object?.type === 'Identifier' ? object.name : member;
    return /^(console|log|logger|_log|_logger|debug)$/i.test(name) || (callee.type === 'Identifier' && /^(log|debug|warn|trace)$/i.test(callee.name));
  };
  if (body.type !== 'BlockStatement') return quiet(body);
  return body.body.every((st) => (st.type === 'ExpressionStatement' && quiet(st.expression)) || (st.type === 'ReturnStatement' && (!st.argument || quiet(st.argument))) || st.type === 'EmptyStatement');
}

function catchHandlerFix(
  ctx: TsRuleContext,
  handler: TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression,
  signals: SignalParam[],
  guarded: Node,
  types: LazyTypes,
  onAbort: 'throw' | 'return' = 'throw',
): Fix[] {
  const edits: TextEdit[] = [];
  let errName: string;
  const first = handler.params[0];
  if (first?.type === 'Identifier') errName = first.name;
  else if (first) return [];
  else {
    errName = freshErrorName(handler.body);
    const head = ctx.text.slice(handler.range[0], handler.body.range[0]);
    const m = /\(\s*\)/.exec(head);
    if (!m) return [];
    const start = handler.range[0] + m.index;
    edits.push({ range: ctx.lines.range(start, start + m[0].length), newText: `(${errName})` });
  }
  // A fire-and-forget chain has nobody to re-throw to (that would be an unhandled rejection): it stops quietly.
  const stmt = `if (${abortCheck(ctx, signals, errName, guarded, types)}) ${onAbort === 'throw' ? `throw ${errName}` : 'return'};`;
  if (handler.body.type === 'BlockStatement') {
    edits.push(insertAtBlockStart(ctx, handler.body, stmt));
  } else {
    const headEnd = first ? first.range[1] : handler.range[0];
    const arrow = ctx.text.indexOf('=>', headEnd);
    if (arrow < 0 || arrow > handler.body.range[0]) return [];
    const expr = ctx.text.slice(arrow + 2, handler.range[1]).trim();
    edits.push({ range: ctx.lines.range(arrow + 2, handler.range[1]), newText: ` { ${stmt} return ${expr}; }` });
  }
  return [{ title: onAbort === 'throw' ? 'Re-throw the abort' : 'Ignore the abort', safe: false, edits }];
}

// ---------------------------------------------------------------------------------------------
// fetch-without-timeout

const BROWSER_MODULES = /^(react|react-dom|react-native|preact|vue|svelte|solid-js|@angular\/|lit|jquery|@remix-run\/react|next\/(link|router|navigation|image))/;
/**
 * Globals of browsers and their workers (`self`, `importScripts`, a global `postMessage`...), and
 * the `chrome` of a browser extension's pages and background worker, which Node lacks.
 */
const BROWSER_GLOBALS = new Set([
  'window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'location', 'caches',
  'self', 'importScripts', 'clients', 'skipWaiting', 'postMessage', 'onmessage', 'registration',
  'chrome',
]);

/** Modules only server code may import: `import 'server-only'`, Next.js's request headers and cookies. */
const SERVER_ONLY_MODULES = new Set(['server-only', 'next/headers']);

/**
 * Server code: a `'use server'` file or one importing a server-only module (`server-only`,
 * `next/headers`); otherwise not JSX, no client directive, no UI framework import, no browser globals.
 */
function looksLikeServerCode(ctx: TsRuleContext): boolean {
  if (ctx.ast.body.some((s) => s.type === 'ExpressionStatement' && 'directive' in s && s.directive === 'use server')) return true;
  const client = ctx.ast.body.some((s) => s.type === 'ExpressionStatement' && 'directive' in s && s.directive === 'use client');
  if (!client && ctx.ast.body.some((s) => s.type === 'ImportDeclaration' && SERVER_ONLY_MODULES.has(String(s.source.value)))) return true;
  if (/\.[jt]sx$/i.test(ctx.filePath)) return false;
  // Service and web workers run in the browser.
  if (/\b(ServiceWorkerGlobalScope|DedicatedWorkerGlobalScope|WorkerGlobalScope)\b|<reference\s+lib=["']webworker["']/.test(ctx.text)) return false;
  for (const s of ctx.ast.body) {
    if (s.type === 'ExpressionStatement' && 'directive' in s && s.directive === 'use client') return false;
    if (s.type === 'ImportDeclaration' && typeof s.source?.value === 'string' && (BROWSER_MODULES.test(s.source.value) || MOBILE_APP_MODULES.test(s.source.value))) {
      // `redirect`, `notFound` from next/navigation are server APIs too.
      const serverOnly = s.source.value === 'next/navigation' && s.specifiers.length > 0 && s.specifiers.every((sp) => sp.type === 'ImportSpecifier' && /^(redirect|permanentRedirect|notFound|RedirectType)$/.test(sp.local.name));
      if (!serverOnly) return false;
    }
  }
  if (ctx.ast.body.some(isOptionsComponent)) return false;
  // A React Native, Expo, Capacitor or Ionic app: its `api.ts` runs on the device (not an Expo
  // Router API route, `app/api/orders+api.ts`, which runs on the server).
  if (!/\+api\.[jt]s$/.test(ctx.filePath) && inMobileAppPackage(ctx.filePath)) return false;
  let browser = false;
  visit(ctx.ast, (n) => {
    if (browser || n.type !== 'Identifier' || !BROWSER_GLOBALS.has(n.name) || !isReference(n)) return;
    if (isGlobal(ctx, n)) browser = true;
  });
  return !browser;
}

/** Type packages of server runtimes: Node, Bun, Cloudflare Workers, Deno's Node shims. */
const SERVER_RUNTIME_TYPES = /[\\/](@types[\\/](node|bun)|bun-types|@cloudflare[\\/]workers-types)[\\/]/;
const browserPrograms = new WeakMap<ts.Program, boolean>();

/**
 * A project whose own tsconfig (not an inferred project) gives it the DOM library and whose
 * program holds the types of no server runtime (`@types/node`, Bun's, Cloudflare Workers'): its
 * code cannot call a server API without a type error, so it runs in a browser — a front-end's
 * `api.ts` helpers, which need no `window` to be browser code.
 */
function browserOnlyProgram(types: LazyTypes): boolean {
  const s = types.get();
  if (!s) return false;
  let known = browserPrograms.get(s.program);
  if (known === undefined) {
    const options = s.program.getCompilerOptions();
    const dom = !!options.configFilePath && !!options.lib?.some((l) => /(^|[\\/])lib\.dom\.d\.ts$/i.test(l));
    known = dom && !s.program.getSourceFiles().some((f) => SERVER_RUNTIME_TYPES.test(f.fileName));
    browserPrograms.set(s.program, known);
  }
  return known;
}

/** Next.js functions that run on the server only, whatever the file holds besides. */
const NEXT_SERVER_FUNCTIONS = /^(getServerSideProps|getStaticProps|getStaticPaths|generateMetadata|generateStaticParams)$/;

/**
 * A call inside a function that runs on the server in a file that also holds client code: Next.js's
 * data functions (`getServerSideProps`, `generateMetadata`, ...) and an async component that is the
 * default export of a file without `'use client'` (only server components may be async).
 */
function inServerFunction(ctx: TsRuleContext, call: Node): boolean {
  if (ctx.ast.body.some((s) => s.type === 'ExpressionStatement' && 'directive' in s && s.directive === 'use client')) return false;
  for (let fn = ownerFunction(call); fn; fn = ownerFunction(fn)) {
    if (NEXT_SERVER_FUNCTIONS.test(functionDisplayName(fn))) return true;
    const exported = fn.parent?.type === 'ExportDefaultDeclaration';
    if (exported && fn.async && /\.[jt]sx$/i.test(ctx.filePath)) return true;
  }
  return false;
}

/** `export default { data() {...}, methods: {...}, template: '...' }`: a Vue options-API component. */
function isOptionsComponent(statement: TSESTree.ProgramStatement): boolean {
  if (statement.type !== 'ExportDefaultDeclaration') return false;
  const d = statement.declaration;
  const object = d.type === 'ObjectExpression' ? d : d.type === 'CallExpression' && d.arguments[0]?.type === 'ObjectExpression' ? d.arguments[0] : undefined;
  if (!object) return false;
  const keys = new Set(object.properties.map((p) => (p.type === 'Property' ? keyName(p) : undefined)));
  return (keys.has('template') || keys.has('render') || keys.has('mounted') || keys.has('setup')) && (keys.has('data') || keys.has('methods') || keys.has('props') || keys.has('setup') || keys.has('components'));
}

/** Test runners: their per-test timeout already bounds a stalled fetch. */
const TEST_RUNNERS = ['test', 'vitest', '@jest/globals', '@playwright/test', 'mocha', 'ava', 'tap', 'uvu', 'bun:test'];

/** A test file: by its name (see isTestPath), or importing a test runner. */
function isTestModule(ctx: TsRuleContext): boolean {
  if (isTestPath(ctx.filePath, false)) return true;
  return TEST_RUNNERS.some((m) => ctx.imports.importsOf(m).length > 0);
}

export function checkFetchWithoutTimeout(ctx: TsRuleContext): void {
  if (isDeclarationFile(ctx.filePath)) return;
  const candidates: TSESTree.CallExpression[] = [];
  visit(ctx.ast, (n) => {
    if (n.type !== 'CallExpression' || n.arguments.length < 1 || n.arguments.length > 2) return;
    if (n.arguments.some((a) => a.type === 'SpreadElement')) return;
    if (knownCancellable(ctx, n) !== 'fetch()') return;
    // `fetch('/api/items')`: Node cannot fetch a relative URL, this is browser code.
    if (relativeUrl(n.arguments[0])) return;
    const init = n.arguments[1];
    if (init) {
      const i = unwrap(init);
      if (i.type !== 'ObjectExpression') return;
      if (i.properties.some((p) => p.type === 'SpreadElement' || keyName(p) === undefined || keyName(p) === 'signal')) return;
      // node-fetch 2 has its own `timeout` option.
      if (ctx.imports.resolve(unwrap(n.callee))?.module === 'node-fetch' && i.properties.some((p) => p.type === 'Property' && keyName(p) === 'timeout')) return;
    }
    candidates.push(n);
  });
  if (candidates.length === 0 || isTestModule(ctx)) return;
  const types = new LazyTypes(ctx);
  const server = looksLikeServerCode(ctx) && !browserOnlyProgram(types);
  let locals: LocalTypes | undefined;
  for (const call of candidates) {
    if (!server && !inServerFunction(ctx, call)) continue;
    if (requestCarriesSignal(call.arguments[0], types)) continue;
    if (insideRace(call)) continue;
    ctx.report({
      message: 'fetch() without a signal waits as long as the server lets it: a stalled upstream holds this request (and its caller) forever',
      range: ctx.rangeOf(call),
      suggestions: fetchFix(ctx, call, callerSignal(ctx, call, (locals ??= localTypes(ctx.ast)), types)),
    });
  }
}

/** A URL written as a path of the current origin: `'/api/items'`, `` `/api/${id}` ``. */
function relativeUrl(arg: Node): boolean {
  const a = unwrap(arg);
  const text = a.type === 'Literal' && typeof a.value === 'string' ? a.value : a.type === 'TemplateLiteral' ? a.quasis[0]?.value.cooked : undefined;
  return typeof text === 'string' && /^(\/|\.\.?\/)/.test(text);
}

/** `fetch(request)` where the Request may carry its own signal. */
function requestCarriesSignal(arg: Node, types: LazyTypes): boolean {
  const a = unwrap(arg);
  if (a.type === 'Literal' || a.type === 'TemplateLiteral' || a.type === 'BinaryExpression') return false;
  if (a.type === 'NewExpression') return ctxFreeName(a.callee) === 'Request';
  if (a.type === 'Identifier' && /^req(uest)?$/i.test(a.name)) return true;
  const s = types.get();
  const tsNode = s?.tsNodeFor(a);
  if (!s || !tsNode) return false;
  const type = s.checker.getTypeAtLocation(tsNode);
  return nonNullishParts(type).some((t) => t.getSymbol()?.getName() === 'Request');
}

/** `Promise.race([fetch(url), timeout(ms)])`: the caller already bounds the wait. */
function insideRace(call: Node): boolean {
  for (let n = call.parent; n && !isFunction(n); n = n.parent) {
    if (n.type === 'CallExpression' && methodName(n) === 'race') return true;
  }
  return false;
}

/**
 * The caller's own AbortSignal, where the function around the fetch takes one (`signal`,
 * `{ signal }`, `options.signal`): the timeout is added to it, not put in its place. Undefined
 * when there is none.
 */
function callerSignal(ctx: TsRuleContext, call: Node, locals: LocalTypes, types: LazyTypes): { text: string; optional: boolean } | undefined {
  for (let fn = ownerFunction(call); fn; fn = ownerFunction(fn)) {
    const param = signalParams(fn, ctx, locals, types)[0];
    if (!param) continue;
    const text = param.kind === 'signal' ? param.name : `${param.name}${param.optional ? '?.' : '.'}${param.key ?? 'signal'}`;
    // An options object typed with an optional signal (`signal?: AbortSignal`) may hold none.
    return { text, optional: param.optional || param.kind === 'options' };
  }
  return undefined;
}

function fetchFix(ctx: TsRuleContext, call: TSESTree.CallExpression, caller?: { text: string; optional: boolean }): Fix[] {
  const timeout = 'AbortSignal.timeout(10_000)';
  const combined = caller && `AbortSignal.any([${caller.text}, ${timeout}])`;
  const signal = !caller ? `signal: ${timeout}` : caller.optional ? `signal: ${caller.text} ? ${combined} : ${timeout}` : `signal: ${combined}`;
  const title = caller ? `Give up after 10 seconds, or when '${caller.text}' aborts` : 'Give up after 10 seconds: signal: AbortSignal.timeout(10_000)';
  const init = call.arguments[1];
  if (!init) {
    const url = call.arguments[0];
    // After the URL, keeping a trailing comma if there is one.
    const after = ctx.text.slice(url.range[1], call.range[1] - 1);
    const comma = /^\s*,/.exec(after);
    const at = comma ? url.range[1] + comma[0].length : url.range[1];
    if (comma && ctx.lines.positionAt(url.range[0]).line !== ctx.lines.positionAt(call.range[1]).line) {
      // One argument per line: a new line for the init, with its own trailing comma.
      const eol = ctx.lines.eol(ctx.lines.positionAt(at).line);
      return [{ title, safe: false, edits: [{ range: ctx.lines.range(at, at), newText: `${eol}${indentOf(ctx, url.range[0])}{ ${signal} },` }] }];
    }
    return [{ title, safe: false, edits: [{ range: ctx.lines.range(at, at), newText: comma ? ` { ${signal} }` : `, { ${signal} }` }] }];
  }
  const obj = unwrap(init) as TSESTree.ObjectExpression;
  const props = obj.properties;
  if (props.length === 0) return [{ title, safe: false, edits: [{ range: ctx.rangeOf(obj), newText: `{ ${signal} }` }] }];
  const last = props[props.length - 1];
  const tail = ctx.text.slice(last.range[1], obj.range[1] - 1);
  const comma = /^\s*,/.exec(tail);
  const multiline = ctx.lines.positionAt(last.range[0]).line !== ctx.lines.positionAt(obj.range[0]).line;
  const eol = ctx.lines.eol(ctx.lines.positionAt(last.range[1]).line);
  const indent = indentOf(ctx, last.range[0]);
  if (comma) {
    const at = last.range[1] + comma[0].length;
    return [{ title, safe: false, edits: [{ range: ctx.lines.range(at, at), newText: multiline ? `${eol}${indent}${signal},` : ` ${signal},` }] }];
  }
  const at = last.range[1];
  return [{ title, safe: false, edits: [{ range: ctx.lines.range(at, at), newText: multiline ? `,${eol}${indent}${signal}` : `, ${signal}` }] }];
}

