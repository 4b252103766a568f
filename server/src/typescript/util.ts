/** Helpers shared by TS/JS rules: iterative traversal, function context, common edits. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { TextEdit } from '../engine/types';
import type { TsRuleContext } from './context';

type Node = TSESTree.Node;
export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** A parsed tree's nodes in document order, with the end (exclusive) of each node's subtree. */
interface FlatTree {
  nodes: Node[];
  end: Int32Array;
  /** Position of each node in `nodes`, built on the first visit of a subtree. */
  index?: Map<Node, number>;
}

const flatTrees = new WeakMap<Node, FlatTree>();

/**
 * The answer of the nearest folder above `filePath` (its own folder first) that has one:
 * `probe(dir)` answers or returns undefined to go on up; `fallback` when the file system's root is
 * passed. Every folder on the way shares the answer in `cache` (cleared by the caller when the
 * files `probe` reads change).
 */
export function nearestAbove<T>(filePath: string, cache: Map<string, T>, probe: (dir: string) => T | undefined, fallback: T): T {
  const dirs: string[] = [];
  let found: T | undefined;
  for (let dir = path.dirname(path.resolve(filePath)); ; dir = path.dirname(dir)) {
    found = cache.get(dir);
    if (found !== undefined) break;
    dirs.push(dir);
    found = probe(dir);
    if (found !== undefined || path.dirname(dir) === dir) break;
  }
  const answer = found ?? fallback;
  for (const d of dirs) cache.set(d, answer);
  return answer;
}

/**
 * The JSON document `name` in folder `dir` (a leading byte-order mark is allowed): undefined when
 * there is no such file, null when it cannot be read or parsed (such a file says nothing).
 */
export function readJsonIn(dir: string, name: string): unknown {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return null;
  }
}

/** The `[name, version]` entries of a package.json document's dependencies, dev and peer dependencies. */
export function packageDependencies(doc: unknown): [string, unknown][] {
  if (!doc || typeof doc !== 'object') return [];
  const out: [string, unknown][] = [];
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = (doc as Record<string, unknown>)[key];
    if (deps && typeof deps === 'object') out.push(...Object.entries(deps as Record<string, unknown>));
  }
  return out;
}

/** An expression without the type-only wrappers around it (`x as T`, `x!`, `x satisfies T`) nor optional chaining's. */
export function unwrapTypeOnly(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

/** The name a member expression reads when it is written out (`a.b` gives `b`; `a[b]` gives nothing). */
export function memberPropertyName(n: Node): string | undefined {
  return n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier' ? n.property.name : undefined;
}

/**
 * Sets `parent` on every node of a freshly converted tree and records its nodes in document
 * order, once per parse: the rules' many walks then run over an array instead of re-reading
 * visitor keys node by node. Iterative, so deep nesting cannot overflow.
 */
export function indexTree(root: Node): void {
  const nodes: Node[] = [];
  const ends: number[] = [];
  // A number on the stack marks the end of the subtree of the node with that position.
  const stack: (Node | number)[] = [root];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === 'number') {
      ends[item] = nodes.length;
      continue;
    }
    const at = nodes.length;
    nodes.push(item);
    ends.push(0);
    stack.push(at);
    eachChildLastFirst(item, (child) => {
      (child as { parent?: Node }).parent = item;
      stack.push(child);
    });
  }
  flatTrees.set(root, { nodes, end: Int32Array.from(ends) });
}

/** A node's children in reverse visitor-key order: pushed on a stack, they pop in document order. */
function eachChildLastFirst(node: Node, each: (child: Node) => void): void {
  const keys = visitorKeys[node.type] ?? [];
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = (node as unknown as Record<string, unknown>)[keys[k]];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const child = value[i] as Node | null;
        if (child && typeof child.type === 'string') each(child);
      }
    } else if (value && typeof (value as Node).type === 'string') {
      each(value as Node);
    }
  }
}

/** The nodes of a tree recorded by `indexTree`, in document order, with each subtree's end. */
export function flatTreeOf(root: Node): { readonly nodes: readonly Node[]; readonly end: Int32Array } | undefined {
  return flatTrees.get(root);
}

/** The indexed tree a node belongs to, and the node's position in it. */
function located(node: Node): { tree: FlatTree; at: number } | undefined {
  const own = flatTrees.get(node);
  if (own) return { tree: own, at: 0 };
  let top = node;
  while (top.parent) top = top.parent;
  const tree = flatTrees.get(top);
  if (!tree) return undefined;
  if (!tree.index) {
    tree.index = new Map();
    for (let i = 0; i < tree.nodes.length; i++) tree.index.set(tree.nodes[i], i);
  }
  const at = tree.index.get(node);
  return at === undefined ? undefined : { tree, at };
}

/**
 * Visits every node in document order (visitor-key order, as ESLint does). Nodes for which
 * `skip` holds are not entered, nor their subtrees (the root always is).
 */
export function visit(root: Node, enter: (node: Node) => void, skip?: (node: Node) => boolean): void {
  const found = located(root);
  if (found) {
    const { nodes, end } = found.tree;
    const start = found.at;
    const stop = end[start];
    for (let i = start; i < stop; ) {
      const node = nodes[i];
      if (skip && i !== start && skip(node)) {
        i = end[i];
        continue;
      }
      enter(node);
      i++;
    }
    return;
  }
  // A tree that was not indexed: an explicit stack (deep nesting cannot overflow).
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (skip && node !== root && skip(node)) continue;
    enter(node);
    eachChildLastFirst(node, (child) => stack.push(child));
  }
}

/**
 * The names a binding pattern declares: `a`, `{ b, c: d, ...e }`, `[f, ...g]`, `h = 1`, and
 * constructor parameter properties. Iterative: deep nesting cannot overflow.
 */
/**
 * Whether `name`, read at `node`, is bound by an enclosing function to something else than an
 * async function: a parameter, or a variable, function or class declared directly in its body.
 */
export function shadowedAt(node: Node, name: string): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (fn.params.some((p) => patternNames(p).includes(name))) return true;
    if (fn.body.type !== 'BlockStatement') continue;
    let found = false;
    visit(fn.body, (n) => {
      if (found) return;
      if (n.type === 'VariableDeclarator' && patternNames(n.id).includes(name)) found = !(n.init && isFunction(n.init) && n.init.async);
      else if (n.type === 'FunctionDeclaration' && n.id?.name === name) found = !n.async;
      else if (n.type === 'ClassDeclaration' && n.id?.name === name) found = true;
    }, (n) => isFunction(n));
    if (found) return true;
  }
  return false;
}

export function patternNames(pattern: Node | null | undefined): string[] {
  const out: string[] = [];
  const stack: (Node | null | undefined)[] = [pattern];
  while (stack.length) {
    const p = stack.pop();
    if (!p) continue;
    switch (p.type) {
      case 'Identifier':
        out.push(p.name);
        break;
      case 'ObjectPattern':
        for (const prop of p.properties) stack.push(prop.type === 'Property' ? prop.value : prop);
        break;
      case 'ArrayPattern':
        for (const el of p.elements) stack.push(el);
        break;
      case 'RestElement':
        stack.push(p.argument);
        break;
      case 'AssignmentPattern':
        stack.push(p.left);
        break;
      case 'TSParameterProperty':
        stack.push(p.parameter);
        break;
      default:
        break;
    }
  }
  return out;
}

export function isFunction(node: Node): node is FunctionNode {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** Names of async functions declared in the file (declarations and `const f = async () => ...`). */
export function localAsyncFunctions(ast: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  visit(ast, (n) => {
    if (n.type === 'FunctionDeclaration' && n.async && n.id) names.add(n.id.name);
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isFunction(n.init) && n.init.async) names.add(n.id.name);
  });
  return names;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** `for`, `for...in`, `for...of` (also `for await`), `while` and `do...while` statements. */
export function isLoop(node: Node): node is TSESTree.ForStatement | TSESTree.ForInStatement | TSESTree.ForOfStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement {
  return LOOPS.has(node.type);
}

/**
 * The statement a `break` or `continue` leaves: the labelled statement it names, or else the
 * innermost loop (or, for `break`, switch) around it, within its function.
 */
export function jumpTarget(node: TSESTree.BreakStatement | TSESTree.ContinueStatement): Node | undefined {
  for (let n: Node | undefined = node.parent; n && !isFunction(n); n = n.parent) {
    if (node.label ? n.type === 'LabeledStatement' && n.label.name === node.label.name : isLoop(n) || (node.type === 'BreakStatement' && n.type === 'SwitchStatement')) return n;
  }
  return undefined;
}

/** The innermost function around a node (not counting the node itself). */
export function enclosingFunction(node: Node): FunctionNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

/** Event types of serverless platforms (`aws-lambda`'s `SQSEvent`, `APIGatewayProxyEventV2`, `ScheduledEvent`). */
const PLATFORM_EVENT_TYPE = /^(\w*Event(V\d)?|APIGateway\w*|ALB\w*|SQS\w*|SNS\w*|S3\w*|DynamoDB\w*|Kinesis\w*|EventBridge\w*|CloudWatch\w*|Cognito\w*|LambdaFunctionURL\w*)$/;

/**
 * A module-level function exported as a serverless handler: its first parameter is the event
 * (`event`, or typed with a platform event type such as `SQSEvent`), and it takes at most the
 * event, the context and a callback. The platform calls it once per invocation, in a process
 * that lives on between invocations.
 */
export function platformHandler(fn: FunctionNode): boolean {
  if (fn.params.length === 0 || fn.params.length > 3 || enclosingFunction(fn) !== undefined) return false;
  let decl: Node | undefined = fn.parent;
  const id = fn.type === 'FunctionDeclaration' ? fn.id : decl?.type === 'VariableDeclarator' && decl.id.type === 'Identifier' ? decl.id : undefined;
  if (decl?.type === 'VariableDeclarator') decl = decl.parent?.parent;
  const exported =
    decl?.type === 'ExportNamedDeclaration' ||
    decl?.type === 'ExportDefaultDeclaration' ||
    // `exports.main = async (event) => ...`, `module.exports.run = ...`
    (decl?.type === 'AssignmentExpression' && decl.left.type === 'MemberExpression' && exportsObject(decl.left.object)) ||
    // `const main = async (event) => ...; export { main };`, `module.exports = { main }`, `exports.handler = main`
    (decl?.type === 'Program' || decl?.type === 'VariableDeclaration' && decl.parent?.type === 'Program') && !!id && exportedByName(decl.type === 'Program' ? decl : decl.parent as TSESTree.Program, id.name);
  if (!exported) return false;
  const first = fn.params[0];
  const name = first.type === 'Identifier' ? first.name : undefined;
  const annotation = first.type === 'Identifier' || first.type === 'ObjectPattern' ? first.typeAnnotation?.typeAnnotation : undefined;
  const typeName = annotation?.type === 'TSTypeReference' ? (annotation.typeName.type === 'Identifier' ? annotation.typeName.name : annotation.typeName.type === 'TSQualifiedName' ? annotation.typeName.right.name : undefined) : undefined;
  if (typeName) return PLATFORM_EVENT_TYPE.test(typeName) && !/^(Custom|Keyboard|Mouse|Pointer|Touch|Focus|Input|Drag|Wheel|Clipboard|Message|Progress|Storage|Submit|Change|UI|Transition|Animation|Error|Close)Event$/.test(typeName);
  return !!name && /^_?(event|evt)$/.test(name);
}

/** Whether the module exports its top-level `name` by an export list or an assignment to `exports`. */
function exportedByName(program: TSESTree.Program, name: string): boolean {
  for (const st of program.body) {
    if (st.type === 'ExportNamedDeclaration' && !st.declaration && !st.source && st.specifiers.some((sp) => sp.local.type === 'Identifier' && sp.local.name === name)) return true;
    if (st.type === 'ExportDefaultDeclaration' && st.declaration.type === 'Identifier' && st.declaration.name === name) return true;
    if (st.type !== 'ExpressionStatement' || st.expression.type !== 'AssignmentExpression') continue;
    const { left, right } = st.expression;
    if (left.type !== 'MemberExpression') continue;
    if (exportsObject(left.object) && right.type === 'Identifier' && right.name === name) return true;
    if (exportsObject(left) && right.type === 'ObjectExpression' && right.properties.some((p) => p.type === 'Property' && p.value.type === 'Identifier' && p.value.name === name)) return true;
  }
  return false;
}

/** `exports` or `module.exports`. */
function exportsObject(node: Node): boolean {
  if (node.type === 'Identifier') return node.name === 'exports';
  return node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'exports' && node.object.type === 'Identifier' && node.object.name === 'module';
}

/** `process.exit`, the function that ends the process. */
function isProcessExit(node: Node): boolean {
  return node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'exit' && node.object.type === 'Identifier' && node.object.name === 'process';
}

/** `process.exit(...)`: a call that ends the process. */
export function isProcessExitCall(node: Node): boolean {
  return node.type === 'CallExpression' && isProcessExit(node.callee);
}

/**
 * A callback that always ends the process: `process.exit` itself, `() => process.exit(0)`, or a
 * body with a top-level `process.exit(...)` statement that no `await`, `return` or `throw`
 * precedes (an awaited step that rejects, or an early return, would skip it).
 */
export function endsProcess(callback: Node | undefined): boolean {
  if (callback && isProcessExit(callback)) return true;
  if (!callback || !isFunction(callback)) return false;
  if (callback.body.type !== 'BlockStatement') return isProcessExitCall(callback.body);
  for (const s of callback.body.body) {
    if (s.type === 'ExpressionStatement' && isProcessExitCall(s.expression)) return true;
    let leaves = false;
    visit(s, (n) => {
      if (n.type === 'AwaitExpression' || n.type === 'ReturnStatement' || n.type === 'ThrowStatement') leaves = true;
    }, (n) => isFunction(n));
    if (leaves) return false;
  }
  return false;
}

/** The `try` statement whose `finally` block holds `node`, within the function `node` is in. */
export function finallyTry(node: Node): TSESTree.TryStatement | undefined {
  for (let n: Node | undefined = node; n?.parent && !isFunction(n); n = n.parent) {
    if (n.parent.type === 'TryStatement' && n.parent.finalizer === n) return n.parent;
  }
  return undefined;
}

/** The class declaration or expression whose body contains `node`, if any. */
export function enclosingClass(node: Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'ClassBody') return n.parent as TSESTree.ClassDeclaration | TSESTree.ClassExpression;
  return undefined;
}

/** A readable name for a function: its own name, the variable, property or method it is assigned to. */
export function functionDisplayName(fn: FunctionNode): string {
  if (fn.type !== 'ArrowFunctionExpression' && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && !parent.computed) {
    if (parent.key.type === 'Identifier') return parent.key.name;
    if (parent.key.type === 'PrivateIdentifier') return `#${parent.key.name}`;
    if (parent.key.type === 'Literal') return String(parent.key.value);
  }
  const kind = fn.async ? 'async ' : '';
  return fn.type === 'ArrowFunctionExpression' ? `${kind}arrow function` : `anonymous ${kind}function`;
}

/** `await <text>`, parenthesised where the expression's position binds tighter than `await`. */
export function awaitText(expr: Node, text: string): string {
  const p = expr.parent;
  // Already the operand of an `await` (`await fs.readFileSync(p)`): no second one.
  if (p?.type === 'AwaitExpression') return text;
  let wrap = false;
  if (p) {
    switch (p.type) {
      case 'MemberExpression':
        wrap = p.object === expr;
        break;
      case 'CallExpression':
      case 'NewExpression':
        wrap = p.callee === expr;
        break;
      case 'TaggedTemplateExpression':
        wrap = p.tag === expr;
        break;
      case 'BinaryExpression':
        wrap = p.operator === '**' && p.left === expr;
        break;
      case 'TSNonNullExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
        wrap = false;
        break;
      default:
        wrap = false;
    }
  }
  // `await (a ?? load())`: an operand of lower precedence than `await` keeps its parentheses.
  // So does `await (save() as Promise<void>)`: `await save() as ...` would cast the awaited value.
  const inner = ['LogicalExpression', 'ConditionalExpression', 'BinaryExpression', 'AssignmentExpression', 'SequenceExpression', 'ArrowFunctionExpression', 'YieldExpression', 'TSAsExpression', 'TSSatisfiesExpression'].includes(expr.type);
  const operand = inner ? `(${text})` : text;
  return wrap ? `(await ${operand})` : `await ${operand}`;
}

/**
 * An edit that makes `name` available from `module` (`fs/promises`): adds it to an existing
 * named import of that module, or a new `import` (ES modules) / `require` (CommonJS) line after
 * the file's last import. Undefined when no safe place is found.
 */
export function insertImportEdit(ctx: TsRuleContext, name: string, module: string): TextEdit | undefined {
  const existing = ctx.imports.importsOf(module).find((d) => d.specifiers.some((s) => s.type === 'ImportSpecifier'));
  if (existing) {
    const specs = existing.specifiers.filter((s) => s.type === 'ImportSpecifier');
    const last = specs[specs.length - 1];
    const at = ctx.lines.positionAt(last.range[1]);
    return { range: { start: at, end: at }, newText: `, ${name}` };
  }
  const body = ctx.ast.body;
  const imports = body.filter((s) => s.type === 'ImportDeclaration');
  const usesNodePrefix = /['"]node:/.test(ctx.text);
  const specifier = `${usesNodePrefix ? 'node:' : ''}${module}`;
  const eol = ctx.lines.eol(0);
  if (imports.length > 0) {
    const last = imports[imports.length - 1];
    const line = ctx.lines.positionAt(last.range[1]).line;
    const at = { line, character: ctx.lines.lineText(line).length };
    return { range: { start: at, end: at }, newText: `${eol}import { ${name} } from '${specifier}';` };
  }
  if (ctx.imports.usesRequire) {
    // After the last top-level `const x = require(...)` statement.
    // After the leading block of top-level `require` statements (directives may precede it).
    let last: TSESTree.Node | undefined;
    for (const s of body) {
      const isDirective = s.type === 'ExpressionStatement' && 'directive' in s && s.directive !== undefined;
      const isRequire = s.type === 'VariableDeclaration' && /\brequire\s*\(/.test(ctx.text.slice(s.range[0], s.range[1]));
      if (isRequire) last = s;
      else if (!isDirective) break;
    }
    if (!last) return undefined;
    const line = ctx.lines.positionAt(last.range[1]).line;
    const at = { line, character: ctx.lines.lineText(line).length };
    return { range: { start: at, end: at }, newText: `${eol}const { ${name} } = require('${specifier}');` };
  }
  // No imports at all: top of the file, after a shebang and directive prologue.
  let line = 0;
  if (ctx.lines.lineText(0).startsWith('#!')) line = 1;
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `import { ${name} } from '${specifier}';${eol}` };
}

/**
 * A test file by its name (`*.test.*`, `*.spec.*`, NestJS's `*.e2e-spec.*`, `*.e2e.*`, Cypress's `*.cy.*`) or, with `byFolder`, a file
 * under a `test`/`tests`/`__tests__`/`spec` folder (test helpers included).
 */
export function isTestPath(filePath: string, byFolder = true): boolean {
  const normalized = filePath.split(path.sep).join('/');
  return /\.((e2e-)?(test|spec)|cy|e2e)\.[cm]?[jt]sx?$/i.test(normalized) || (byFolder && /(^|\/)(test|tests|__tests__|spec)\//.test(normalized));
}

/** The member of the global `Deno` a callee reads (`cron` of `Deno.cron`), if it reads one. */
export function denoMember(ctx: TsRuleContext, callee: TSESTree.Node): string | undefined {
  if (callee.type !== 'MemberExpression' || callee.computed || callee.object.type !== 'Identifier' || callee.object.name !== 'Deno' || callee.property.type !== 'Identifier') return undefined;
  return ctx.imports.isGlobalReference(callee.object) ? callee.property.name : undefined;
}
