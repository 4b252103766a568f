/**
 * The JavaScript copy of tree-sitter's Python tree that the rules read: node for node what
 * web-tree-sitter's own API answers, and, when an edit re-parses only the statements it touched,
 * node for node the tree of a whole parse.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Node, Tree } from 'web-tree-sitter';
import { PythonFrontEnd, rawCursorExports } from '../server/src/python/parser';
import { type SyntaxNode, SyntaxTree } from '../server/src/python/syntax';
import { fixturesDir } from './helpers/engine';
import { shape } from './helpers/pythonTrees';

let frontEnd: PythonFrontEnd;

before(async () => {
  frontEnd = new PythonFrontEnd();
  await frontEnd.init();
});

function listPy(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listPy(p) : p.endsWith('.py') ? [p] : [];
  });
}

const pyTexts = (): string[] => listPy(path.join(fixturesDir, 'python')).map((f) => fs.readFileSync(f, 'utf8'));

/** Every difference between tree-sitter's node `a` (and its subtree) and the copy `b`, as text. */
function differences(a: Node, b: SyntaxNode, fieldNames: readonly string[]): string[] {
  const out: string[] = [];
  const stack: [Node, SyntaxNode][] = [[a, b]];
  while (stack.length && out.length < 10) {
    const [x, y] = stack.pop()!;
    const at = `${x.type}@${x.startIndex}`;
    if (x.type !== y.type || x.startIndex !== y.startIndex || x.endIndex !== y.endIndex) {
      out.push(`${at}-${x.endIndex} copied as ${y.type}@${y.startIndex}-${y.endIndex}`);
      continue;
    }
    if (x.isNamed !== y.isNamed || x.isMissing !== y.isMissing || x.hasError !== y.hasError || x.text !== y.text) out.push(`${at}: flags or text differ`);
    if (JSON.stringify([x.startPosition, x.endPosition]) !== JSON.stringify([y.startPosition, y.endPosition])) out.push(`${at}: positions differ`);
    // tree-sitter's API skips an empty block (of `if x:` at the end of a file) as a next sibling.
    const next = y.nextNamedSibling;
    const nextOfCopy = next && next.startIndex === next.endIndex && !x.nextNamedSibling ? undefined : next?.startIndex;
    if (x.parent?.startIndex !== y.parent?.startIndex || x.nextNamedSibling?.startIndex !== nextOfCopy) out.push(`${at}: neighbours differ`);
    for (const name of fieldNames) {
      // A quirk of tree-sitter's API: a match statement answers for the `alternative` fields
      // of the block it holds. The copy keeps them on the block, where the tree has them.
      if (x.type === 'match_statement' && name === 'alternative') continue;
      const f = x.childForFieldName(name);
      const g = y.childForFieldName(name);
      if (f?.startIndex !== g?.startIndex || f?.type !== g?.type || x.childrenForFieldName(name).length !== y.childrenForFieldName(name).length) out.push(`${at}: field ${name} differs`);
    }
    if (x.childCount !== y.childCount || x.namedChildCount !== y.namedChildCount) {
      out.push(`${at}: children differ`);
      continue;
    }
    for (let i = 0; i < x.childCount; i++) stack.push([x.child(i)!, y.children[i]]);
  }
  return out;
}

/**
 * `tree` spliced to `edited`, checked node for node (and through the type index the rules
 * search) against a whole parse of `edited`; the whole parse when the splice declines.
 */
function spliceChecked(tree: SyntaxTree, edited: string, what: string): { tree: SyntaxTree; spliced: boolean } {
  const fresh = copyOf(edited);
  const result = SyntaxTree.splice(tree, edited, (t) => frontEnd.parseTree(t), rawCursorExports());
  if (!result) return { tree: fresh, spliced: false };
  assert.equal(result.text, edited);
  assert.deepEqual(shape(result), shape(fresh), what);
  for (const type of ['call', 'function_definition', 'comment', 'identifier', 'yield']) {
    assert.deepEqual(result.nodesOfType(type).map((n) => n.startIndex), fresh.nodesOfType(type).map((n) => n.startIndex), what);
  }
  assert.deepEqual(result.namedNodesOfTypes(['call', 'await']).map((n) => n.id), fresh.namedNodesOfTypes(['call', 'await']).map((n) => n.id), what);
  return { tree: result, spliced: true };
}

function parsed<T>(text: string, use: (tree: Tree) => T): T {
  const tree = frontEnd.parseTree(text);
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

const copyOf = (text: string) => parsed(text, (t) => SyntaxTree.copy(t, text, rawCursorExports()));

describe('python syntax tree copy', () => {
  it('reads the raw cursor functions of the WebAssembly module', () => {
    assert.ok(rawCursorExports(), 'web-tree-sitter no longer exposes its cursor functions: the copy falls back to the slower public API');
  });

  it('copies every fixture node for node, fields, positions and errors included, through both cursors', function () {
    this.timeout(120_000);
    const extra = ['x = "héllo 😀"\r\ny = f(\r\n', 'def f(:\n    return\n', 'if x:\n', 'class A:\n\tdef m(self): pass\n\n# end'];
    const texts = [...pyTexts(), ...extra, ...pyTexts().slice(0, 20).map((t) => t.replace(/\n/g, '\r\n'))];
    let checked = 0;
    for (const text of texts) {
      parsed(text, (tree) => {
        const fieldNames = tree.language.fields.filter((f): f is string => !!f);
        for (const raw of [rawCursorExports(), undefined]) {
          const copy = SyntaxTree.copy(tree, text, raw);
          assert.deepEqual(differences(tree.rootNode, copy.rootNode, fieldNames), [], text.slice(0, 80));
          for (let at = 0; at < text.length; at += 7) {
            const want = tree.rootNode.descendantForIndex(at);
            const got = copy.rootNode.descendantForIndex(at);
            assert.equal(`${got.type}@${got.startIndex}-${got.endIndex}`, `${want?.type}@${want?.startIndex}-${want?.endIndex}`, `descendantForIndex(${at})`);
          }
          for (const types of [['call'], ['yield'], ['identifier', 'attribute'], ['ERROR']]) {
            const want = tree.rootNode.descendantsOfType(types).map((n) => `${n!.type}@${n!.startIndex}`);
            assert.deepEqual(copy.rootNode.descendantsOfType(types).map((n) => `${n.type}@${n.startIndex}`), want);
          }
          checked++;
        }
      });
    }
    assert.equal(checked, 2 * texts.length);
  });

  it('re-parses only the statements an edit touched, into exactly the tree of a whole parse', function () {
    this.timeout(180_000);
    const texts = pyTexts().filter((t) => parsed(t, (tree) => !tree.rootNode.hasError));
    // Edits of whole lines, most of which keep the code valid (the case the splice serves).
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      kind: fc.constantFrom('comment', 'delete', 'duplicate', 'blank', 'top-comment', 'indented-comment', 'statement', 'dedent', 'char', 'join'),
    });
    let spliced = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
        // The edits one after the other, each version spliced into the tree of the one before
        // (as successive versions of an edited file are).
        const lines = texts[index].split('\n');
        let tree = copyOf(texts[index]);
        for (const e of edits) {
          if (lines.length === 0) break;
          const i = Math.min(lines.length - 1, Math.floor(e.at * lines.length));
          const indent = /^\s*/.exec(lines[i])![0];
          if (e.kind === 'comment') lines[i] += '  # edit';
          else if (e.kind === 'delete') lines.splice(i, 1);
          else if (e.kind === 'duplicate') lines.splice(i, 0, lines[i]);
          else if (e.kind === 'blank') lines.splice(i, 0, '');
          else if (e.kind === 'top-comment') lines.splice(i, 0, '# a comment at column 0');
          else if (e.kind === 'indented-comment') lines.splice(i, 0, `${indent}    # a comment`);
          else if (e.kind === 'statement') lines.splice(i, 0, `${indent}x = await f(1)`);
          else if (e.kind === 'dedent') lines[i] = lines[i].trimStart();
          else if (e.kind === 'char') lines[i] = lines[i].replace(/[a-z]/, 'q');
          else if (i + 1 < lines.length) lines.splice(i, 2, lines[i] + lines[i + 1]);
          runs++;
          const next = spliceChecked(tree, lines.join('\n'), '');
          if (next.spliced) spliced++;
          tree = next.tree;
        }
      }),
      { seed: Number(process.env.SPLICE_SEED ?? 20261130), numRuns: Number(process.env.SPLICE_RUNS ?? 400) },
    );
    // Most of these edits keep the file valid: the splice must have served many of them.
    assert.ok(spliced > runs / 4, `spliced ${spliced} of ${runs}`);
    if (process.env.SPLICE_RUNS) console.log(`spliced ${spliced} of ${runs}`);
  });

  it('keeps to the tree of a whole parse while code is typed one character at a time', function () {
    this.timeout(180_000);
    const texts = pyTexts().filter((t) => parsed(t, (tree) => !tree.rootNode.hasError));
    const snippets = ['x = foo(1, [2, 3], key={"a": (4,)})', 'async with session.get(url) as resp:', 'return await asyncio.gather(*tasks)', 's = "quoted # not a comment"', 'lambda: (yield)'];
    let spliced = 0;
    let steps = 0;
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: snippets.length - 1 }), (index, at, which) => {
        const lines = texts[index].split('\n');
        const i = Math.min(lines.length - 1, Math.floor(at * lines.length));
        const indent = /^\s*/.exec(lines[i])![0];
        let tree = copyOf(texts[index]);
        const snippet = snippets[which];
        for (let n = 1; n <= snippet.length; n++) {
          const edited = [...lines.slice(0, i), indent + snippet.slice(0, n), ...lines.slice(i)].join('\n');
          steps++;
          const next = spliceChecked(tree, edited, `typing ${JSON.stringify(snippet.slice(0, n))} at line ${i}`);
          if (next.spliced) spliced++;
          tree = next.tree;
        }
      }),
      { seed: Number(process.env.SPLICE_SEED ?? 20261130), numRuns: Number(process.env.SPLICE_RUNS ?? 60) },
    );
    if (process.env.SPLICE_RUNS) console.log(`spliced ${spliced} of ${steps}`);
    // While the line is incomplete (an open bracket or string), the whole text is parsed. The share
    // depends on the fixture texts the seed picks (a quarter to a third of the steps with today's).
    assert.ok(spliced > steps / 5, `spliced ${spliced} of ${steps}`);
  });

  it('reuses the nodes of the statements an edit did not touch', () => {
    const text = 'import asyncio\n\n\nasync def a():\n    await asyncio.sleep(1)\n\n\nasync def b():\n    return 2\n';
    const before = copyOf(text);
    const [imports, a, b] = before.rootNode.children;
    const after = SyntaxTree.splice(before, text.replace('return 2', 'return 22'), (t) => frontEnd.parseTree(t), rawCursorExports());
    assert.ok(after);
    assert.equal(after.rootNode.children[0], imports);
    assert.equal(after.rootNode.children[1], a);
    assert.notEqual(after.rootNode.children[2], b);
    assert.equal(after.rootNode.children[2].text, 'async def b():\n    return 22');
  });

  it('parses the whole text again when the edit leaves a syntax error', () => {
    const text = 'async def a():\n    pass\n\n\nasync def b():\n    return 2\n';
    assert.equal(SyntaxTree.splice(copyOf(text), text.replace('return 2', 'return (2'), (t) => frontEnd.parseTree(t), rawCursorExports()), undefined);
  });
});
