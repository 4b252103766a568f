/**
 * Property tests: whatever the input, the engine neither throws nor lets a rule fail, and every
 * fix it offers keeps valid code valid. Seeded and reproducible: the seed is printed on failure
 * (set ASYNCSENSE_SEED to replay one).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as ts from 'typescript';
import type { Engine } from '../server/src/engine/engine';
import { fixText } from '../server/src/engine/fixes';
import { applyEdits } from '../server/src/engine/text';
import { PythonFrontEnd } from '../server/src/python/parser';
import { TsFrontEnd, convertSourceFile } from '../server/src/typescript/parser';
import { allRulesConfig, fixturesDir, incrementalAndFresh, syntaxOnlyEngine, testEngine } from './helpers/engine';
import { tempDir } from './helpers/temp';

const SEED = Number(process.env.ASYNCSENSE_SEED ?? 20261124);
const RUNS = Number(process.env.ASYNCSENSE_PROPERTY_RUNS ?? 1);

const PY_TOKENS = [
  'async ', 'def ', 'await ', 'import ', 'from ', 'asyncio', 'time', '.', 'sleep', '(', ')', ':', '\n', '    ', '\t', 'try', 'except',
  'finally', 'raise', 'return', 'yield', 'with ', 'for ', 'in ', 'while ', 'create_task', 'CancelledError', '"', "'", '"""', '#', ' as ',
  ',', '=', 'lambda', 'class ', 'self', '[', ']', '{', '}', '\\', '*', '@', 'open', 'aiohttp.ClientSession()', 'if ', 'else', 'global ',
  'noqa', 'asyncsense: ignore[', '😀', '\r\n', '\u0000',
];
const TS_TOKENS = [
  'async ', 'function ', 'await ', 'import ', 'from ', "'fs'", 'fs', '.', 'readFileSync', '(', ')', '{', '}', ';', '\n', '=>', 'const ',
  'let ', '=', 'require', '`', '${', "'", '"', '//', '/*', '*/', '<div>', '</div>', 'class ', 'new ', 'Promise', 'then', 'catch', ',',
  '[', ']', 'return ', 'void ', 'asyncsense-ignore-next-line ', '?.', '!', 'as ', ':', 'string', '😀', '\r\n',
];

/** The full engine, TS/JS rules with the TypeScript checker (a program per case: ~10 ms each). */
let engine: Engine;
/** The same rules with TS/JS type information off, for the high-volume runs. */
let fast: Engine;
let py: PythonFrontEnd;

function analyzeBoth(text: string): void {
  for (const filePath of ['/virtual/fuzz.py', '/virtual/fuzz.ts', '/virtual/fuzz.jsx']) {
    const result = fast.analyze({ filePath, text }, allRulesConfig('/virtual'));
    assert.deepEqual(result.ruleErrors, [], `rule failure on ${filePath}`);
  }
}

function pySyntaxErrors(text: string): number {
  const parsed = py.parseTree(text);
  try {
    let n = 0;
    for (const e of parsed.rootNode.descendantsOfType('ERROR')) if (e) n++;
    if (parsed.rootNode.hasError) n += parsed.rootNode.descendantsOfType('MISSING').length;
    return n + (parsed.rootNode.hasError ? 1 : 0);
  } finally {
    parsed.delete();
  }
}

function tsSyntaxErrors(filePath: string, text: string): number {
  const sf = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false);
  return (sf as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.length;
}

/** Reads [{label, before, after}] on stdin; prints the labels whose `after` no longer parses. */
const CPYTHON_CHECK = [
  'import ast, json, sys',
  'def ok(t):',
  '    try:',
  '        ast.parse(t)',
  '        return True',
  '    except SyntaxError:',
  '        return False',
  'print(json.dumps([c["label"] for c in json.load(sys.stdin) if ok(c["before"]) and not ok(c["after"])]))',
].join('\n');

function syntaxErrors(filePath: string, text: string): number {
  return filePath.endsWith('.py') ? pySyntaxErrors(text) : tsSyntaxErrors(filePath, text);
}

function listFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFixtures(p));
    else if (/\.(py|ts|tsx|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function check(property: fc.IPropertyWithHooks<never> | fc.IAsyncPropertyWithHooks<never> | fc.IRawProperty<never>, numRuns: number): void {
  fc.assert(property as fc.IRawProperty<unknown>, { seed: SEED, numRuns: numRuns * RUNS, verbose: 1 });
}

describe('robustness (property tests)', function () {
  this.timeout(600_000);

  before(async () => {
    engine = await testEngine();
    fast = await syntaxOnlyEngine();
    py = new PythonFrontEnd();
    await py.init();
  });

  it(`never throws on random text (seed ${SEED})`, () => {
    check(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => analyzeBoth(s)) as never, 20_000);
  });

  it('never throws on Python token soups', () => {
    check(fc.property(fc.array(fc.constantFrom(...PY_TOKENS), { maxLength: 120 }), (tokens) => {
      const result = engine.analyze({ filePath: '/virtual/soup.py', text: tokens.join('') }, allRulesConfig('/virtual'));
      assert.deepEqual(result.ruleErrors, []);
    }) as never, 30_000);
  });

  it('never throws on TS/JS token soups', () => {
    check(fc.property(fc.array(fc.constantFrom(...TS_TOKENS), { maxLength: 120 }), (tokens) => {
      const text = tokens.join('');
      for (const filePath of ['/virtual/soup.ts', '/virtual/soup.tsx']) {
        assert.deepEqual(fast.analyze({ filePath, text }, allRulesConfig('/virtual')).ruleErrors, []);
      }
    }) as never, 20_000);
  });

  it('never throws on TS/JS token soups with type information', () => {
    check(fc.property(fc.array(fc.constantFrom(...TS_TOKENS), { maxLength: 120 }), (tokens) => {
      const text = tokens.join('');
      assert.deepEqual(engine.analyze({ filePath: '/virtual/typed-soup.ts', text }, allRulesConfig('/virtual')).ruleErrors, []);
    }) as never, 1_500);
  });

  const mutationTest = (title: string, pick: (f: string) => boolean, engineOf: () => Engine, runs: number) =>
    it(title, () => {
      const fixtures = listFixtures(fixturesDir).filter(pick).map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
      const mutation = fc.record({
        index: fc.nat({ max: fixtures.length - 1 }),
        kind: fc.constantFrom('delete', 'duplicate', 'truncate'),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        len: fc.nat({ max: 80 }),
      });
      check(fc.property(mutation, ({ index, kind, at, len }) => {
        const { f, text } = fixtures[index];
        const i = Math.floor(at * text.length);
        const mutated =
          kind === 'delete' ? text.slice(0, i) + text.slice(i + len) : kind === 'duplicate' ? text.slice(0, i + len) + text.slice(i, i + len) + text.slice(i + len) : text.slice(0, i);
        const result = engineOf().analyze({ filePath: f, text: mutated }, allRulesConfig(path.dirname(f)));
        assert.deepEqual(result.ruleErrors, []);
      }) as never, runs);
    });
  const isPy = (f: string) => f.endsWith('.py');
  mutationTest('never throws on mutations of every fixture (deletions, duplications, truncations)', () => true, () => fast, 30_000);
  mutationTest('never throws on mutations of TS/JS fixtures, with type information', (f) => !isPy(f), () => engine, 1_500);

  it('an edit re-parsed incrementally gives exactly the findings of a fresh parse (Python)', () => {
    const fixtures = listFixtures(fixturesDir)
      .filter((f) => f.endsWith('.py'))
      .map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
    const edit = fc.record({
      index: fc.nat({ max: fixtures.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      len: fc.nat({ max: 40 }),
      insert: fc.constantFrom('', 'await ', 'time.sleep(1)\n', '    ', '\n', 'async def f():\n    pass\n', '(', ')', '😀', '\r\n', '#'),
    });
    check(fc.property(edit, ({ index, at, len, insert }) => {
      const { f, text } = fixtures[index];
      const i = Math.floor(at * text.length);
      const edited = text.slice(0, i) + insert + text.slice(i + len);
      const { incremental, fresh } = incrementalAndFresh(fast, f, text, edited, allRulesConfig(path.dirname(f)));
      assert.deepEqual(incremental, fresh);
    }) as never, 2_000);
  });

  it('a TS/JS edit converted incrementally gives exactly the ESTree of a fresh conversion', () => {
    const dir = tempDir('asyncsense-convert-');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true, jsx: 'react-jsx', types: [] } }));
    const fixtures = listFixtures(fixturesDir)
      .filter((f) => !f.endsWith('.py'))
      .map((f) => ({ ext: path.extname(f), text: fs.readFileSync(f, 'utf8') }));
    const front = new TsFrontEnd();
    const astOf = (file: string, text: string) => {
      const parsed = front.parse(file, text);
      try {
        return parsed.makeContext(() => undefined).ast;
      } finally {
        parsed.dispose();
      }
    };
    // BigInt literals (`1n`) carry a bigint value, which JSON cannot write as such.
    const json = (ast: object) => JSON.stringify(ast, (k, v) => (k === 'parent' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      len: fc.nat({ max: 30 }),
      insert: fc.constantFrom('', ' ', '\n', '\n\n', 'await ', 'x;\n', "'use strict';\n", '// note\n', '/* a\nb */', '{', '}', '(', ')', '`', 'export const a = 1;\n', 'async function g() {}\n', '\r\n', '😀'),
    });
    let n = 0;
    check(fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
      const { ext, text } = fixtures[index];
      // A new path per case: each sequence starts from a fresh conversion.
      const file = path.join(dir, `case${n++}${ext}`);
      let current = text;
      // The reference: the same program SourceFile, converted whole.
      const fresh = (text: string) => json(convertSourceFile(front.projects.programFor(file, text)!.sourceFile).ast);
      assert.equal(json(astOf(file, current)), fresh(current));
      for (const { at, len, insert } of edits) {
        const i = Math.floor(at * current.length);
        current = current.slice(0, i) + insert + current.slice(i + len);
        assert.equal(json(astOf(file, current)), fresh(current), `after an edit at ${i}`);
      }
      front.updateFile(file, undefined);
    }) as never, 300);
    front.projects.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every fix offered on a fixture, applied alone, adds no syntax error; fix-all is idempotent', () => {
    let checked = 0;
    /** Python texts after a fix, checked again by CPython's own parser below (stricter than tree-sitter). */
    const pythonTexts: { label: string; before: string; after: string }[] = [];
    for (const f of listFixtures(fixturesDir)) {
      const text = fs.readFileSync(f, 'utf8');
      const config = allRulesConfig(path.dirname(f));
      const before = syntaxErrors(f, text);
      const result = engine.analyze({ filePath: f, text }, config);
      for (const finding of result.findings) {
        for (const fix of [...(finding.fix ? [finding.fix] : []), ...(finding.suggestions ?? [])]) {
          const applied = applyEdits(text, fix.edits);
          assert.equal(applied.skipped.length, 0, `${f}: ${fix.title}: a fix's own edits overlap`);
          assert.ok(syntaxErrors(f, applied.text) <= before, `${path.relative(fixturesDir, f)}:${finding.range.start.line + 1}: '${fix.title}' breaks the syntax`);
          if (f.endsWith('.py')) pythonTexts.push({ label: `${path.relative(fixturesDir, f)}:${finding.range.start.line + 1}: '${fix.title}'`, before: text, after: applied.text });
          checked++;
        }
      }
      const fixed = fixText(engine, { filePath: f, text }, config, { unsafe: true });
      assert.ok(syntaxErrors(f, fixed.text) <= before, `${f}: fix-all breaks the syntax`);
      if (f.endsWith('.py')) pythonTexts.push({ label: `${path.relative(fixturesDir, f)}: fix-all`, before: text, after: fixed.text });
      assert.equal(fixText(engine, { filePath: f, text: fixed.text }, config).applied, 0, `${f}: safe fix-all is not idempotent`);
    }
    assert.ok(checked > 40, `only ${checked} fixes checked`);
    // CPython rejects what tree-sitter tolerates (`await await x`): every text that parsed before a
    // fix must still parse after it. python3 is on every machine this project builds on.
    const python = spawnSync('python3', ['-c', CPYTHON_CHECK], { input: JSON.stringify(pythonTexts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(python.error, undefined, `python3 could not run: ${python.error?.message}`);
    assert.equal(python.status, 0, python.stderr);
    const broken = JSON.parse(python.stdout) as string[];
    assert.deepEqual(broken, [], `fixes that CPython rejects:\n${broken.join('\n')}`);
    assert.ok(pythonTexts.length > 20, `only ${pythonTexts.length} Python texts checked`);
  });

  it('survives pathological files: deep nesting, a 1 MB line, many functions', () => {
    const cases: [string, string][] = [
      ['/virtual/deep.py', `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
      ['/virtual/deep.ts', `const x = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`],
      ['/virtual/deepfn.py', Array.from({ length: 200 }, (_, i) => `${'    '.repeat(i)}async def f${i}():\n${'    '.repeat(i + 1)}time.sleep(1)\n`).join('')],
      ['/virtual/longline.py', `import time\nasync def f():\n    x = "${'a'.repeat(1_000_000)}"; time.sleep(1)\n`],
      ['/virtual/longline.ts', `import fs from 'fs';\nexport async function f() { const x = "${'a'.repeat(1_000_000)}"; fs.readFileSync(x); }\n`],
      ['/virtual/parens.ts', `${'('.repeat(10_000)}`],
      // A recovered tree the ESTree converter cannot convert (a type argument list cut off).
      ['/virtual/cut.ts', 'export class Store {\n  async save(row: Row): Promise<'],
    ];
    for (const [filePath, text] of cases) {
      const result = engine.analyze({ filePath, text }, allRulesConfig('/virtual'));
      assert.deepEqual(result.ruleErrors, [], filePath);
    }
    // Valid code nested deeper than the converter's stack reaches is skipped with its reason.
    const nested = engine.analyze({ filePath: '/virtual/nested.ts', text: `export async function f() { const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}; fetch('/x'); }\n` }, allRulesConfig('/virtual'));
    assert.deepEqual([nested.skipped, nested.ruleErrors], ['nested too deeply to analyse', []]);
    const long = engine.analyze({ filePath: '/virtual/longline.py', text: cases[3][1] }, allRulesConfig('/virtual'));
    assert.equal(long.findings.filter((f) => f.rule === 'blocking-call-in-async').length, 1);
  });
});
