/**
 * Promises kept in a local variable and then dropped or misread: `const p = save(x)` never used
 * again (floating-promise), or, in JavaScript, `const data = res.json()` used only as the value
 * the promise stands for — `data.items`, `for (const x of data)`, `data + 1` (misused-promise).
 * TypeScript reports those reads as type errors itself, so the second shape is looked for in
 * JavaScript files only.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { awaitText, enclosingFunction, visit } from '../util';

type Node = TSESTree.Node;

export interface PromiseVariable {
  name: string;
  /** The initializer, a call or `new` expression (for a dropped one, also an array literal of promises, or the element beside a destructured name). */
  init: TSESTree.Expression;
  /** 'unused': never read again; 'value': every read takes it for its resolved value. */
  kind: 'unused' | 'value';
  /** The first read, for 'value'. */
  firstUse?: Node;
}

/** The members every promise has. */
export const PROMISE_MEMBERS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '|', '&', '^', '<<', '>>', '>>>']);

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n;
}

/** Whether an identifier is a read of a variable (not a property name, a key or a declaration). */
function isRead(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'MemberExpression' && p.property === id && !p.computed) return false;
  if ((p.type === 'Property' || p.type === 'MethodDefinition' || p.type === 'PropertyDefinition') && p.key === id && !p.computed) return p.type === 'Property' && p.shorthand;
  if (p.type === 'VariableDeclarator' && p.id === id) return false;
  if (p.type === 'ImportSpecifier' || p.type === 'ExportSpecifier' || p.type === 'LabeledStatement' || p.type === 'BreakStatement' || p.type === 'ContinueStatement') return false;
  return true;
}

/** A read that takes the promise for its value: a member other than then/catch/finally, iteration, arithmetic. */
function readsAsValue(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'MemberExpression' && p.object === id) {
    if (p.computed) return true;
    return p.property.type === 'Identifier' && !PROMISE_MEMBERS.has(p.property.name);
  }
  if (p.type === 'ForOfStatement' && p.right === id) return !p.await;
  if (p.type === 'BinaryExpression') return ARITHMETIC.has(p.operator);
  if (p.type === 'SpreadElement') return p.parent?.type === 'ArrayExpression' || p.parent?.type === 'CallExpression';
  return false;
}

/** The promise variables of a file that are dropped or misread; `isPromise` is asked last, and only for those. */
export function promiseVariables(ctx: TsRuleContext, isPromise: (init: Node) => boolean, withValueReads: boolean): PromiseVariable[] {
  const candidates: { id: TSESTree.Identifier; init: TSESTree.Expression; fn: Node }[] = [];
  visit(ctx.ast, (n) => {
    if (n.type !== 'VariableDeclarator' || !n.init) return;
    // `const [users, posts] = [loadUsers(), loadPosts()]`: each name holds the promise beside it.
    if (n.id.type === 'ArrayPattern' && !withValueReads) {
      const values = unwrap(n.init);
      const fn = values.type === 'ArrayExpression' && n.parent?.type === 'VariableDeclaration' && n.parent.kind !== 'var' && !n.parent.declare ? enclosingFunction(n) : undefined;
      if (!fn || values.type !== 'ArrayExpression') return;
      n.id.elements.forEach((el, i) => {
        const value = values.elements[i];
        if (el?.type !== 'Identifier' || el.name.startsWith('_') || !value || value.type === 'SpreadElement') return;
        const made = unwrap(value);
        if (made.type === 'CallExpression' || made.type === 'NewExpression') candidates.push({ id: el, init: value, fn });
      });
      return;
    }
    if (n.id.type !== 'Identifier' || n.id.name.startsWith('_')) return;
    const init = unwrap(n.init);
    // A zx command (`$\`git push\``) is a tagged template; its promise also carries the process's
    // streams (`p.stdout`), so it is only looked at for being dropped.
    // An array literal of promises (`const jobs = [load(1), load(2)] as const`) is only looked at
    // for being dropped too.
    if (init.type !== 'CallExpression' && init.type !== 'NewExpression' && (withValueReads || (init.type !== 'TaggedTemplateExpression' && init.type !== 'ArrayExpression'))) return;
    const declaration = n.parent;
    if (declaration?.type !== 'VariableDeclaration' || declaration.declare || declaration.kind === 'var') return;
    // Not the head of a for loop, not an exported binding.
    if (declaration.parent?.type === 'ForStatement' || declaration.parent?.type === 'ForOfStatement' || declaration.parent?.type === 'ForInStatement') return;
    if (declaration.parent?.type === 'ExportNamedDeclaration') return;
    // At the top of a module (a script), the whole file is its scope; only for dropped promises:
    // a module-level value may be read by code this file does not show (a REPL, a test's import).
    const fn = enclosingFunction(n) ?? (withValueReads ? undefined : ctx.ast);
    if (!fn) return;
    candidates.push({ id: n.id, init: n.init, fn });
  });
  if (candidates.length === 0) return [];
  // The identifiers named like a candidate, by name.
  const reads = new Map<string, TSESTree.Identifier[]>();
  for (const c of candidates) reads.set(c.id.name, []);
  visit(ctx.ast, (n) => {
    if (n.type === 'Identifier') reads.get(n.name)?.push(n);
  });
  const out: PromiseVariable[] = [];
  for (const { id, init, fn } of candidates) {
    const used = (reads.get(id.name) ?? []).filter((r) => r !== id && r.range[0] >= fn.range[0] && r.range[1] <= fn.range[1] && isRead(r));
    let kind: PromiseVariable['kind'] | undefined;
    if (used.length === 0) kind = 'unused';
    else if (withValueReads && used.every(readsAsValue)) kind = 'value';
    if (!kind || !isPromise(init)) continue;
    out.push({ name: id.name, init, kind, firstUse: used[0] });
  }
  return out;
}

/** `await` in front of the initializer, inside an async function. */
export function awaitInitFix(ctx: TsRuleContext, v: PromiseVariable, array = false): Fix | undefined {
  if (!enclosingFunction(v.init)?.async) return undefined;
  // `const p: Promise<number> = load()`: the declared type would no longer hold. Nor is an element
  // of a destructured array (`const [a, b] = [load(1), load(2)]`) awaited on its own, before the others are used.
  const declarator = v.init.parent;
  if (declarator?.type !== 'VariableDeclarator' || declarator.id.typeAnnotation) return undefined;
  const text = ctx.text.slice(v.init.range[0], v.init.range[1]);
  // An array of promises (`keys.map((k) => s3.send(...))`): awaiting the array waits for none of them.
  if (array) return { title: 'Wait for all of them with Promise.all', safe: true, edits: [{ range: ctx.rangeOf(v.init), newText: `await Promise.all(${text})` }] };
  return { title: 'Await the promise', safe: true, edits: [{ range: ctx.rangeOf(v.init), newText: awaitText(v.init, text) }] };
}

/** A node's source as one line for a message: comments dropped, white space collapsed, cut at `max` characters. */
export function shownText(ctx: TsRuleContext, node: Node, max = 60): string {
  const [start, end] = node.range;
  let text = ctx.text.slice(start, end);
  // Comments inside the excerpt (`.then((user) => { // load the profile`) say nothing in a message.
  if (text.includes('//') || text.includes('/*')) {
    const inside = (ctx.ast.comments ?? []).filter((c) => c.range[0] >= start && c.range[1] <= end);
    for (let i = inside.length - 1; i >= 0; i--) text = text.slice(0, inside[i].range[0] - start) + text.slice(inside[i].range[1] - start);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** JavaScript, where TypeScript does not report reading a promise as its value. */
export function isJavaScriptFile(filePath: string): boolean {
  return /\.(js|mjs|cjs|jsx)$/i.test(filePath);
}
