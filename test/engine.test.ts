import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigResolver, DEFAULT_MAX_FILE_SIZE, parseSize, resolveConfig } from '../server/src/engine/config';
import { unanalysableReason } from '../server/src/engine/engine';
import { nonOverlappingFixes } from '../server/src/engine/fixes';
import { applySuppressions, disableForLineEdit, parseSuppressions } from '../server/src/engine/suppressions';
import { LineIndex, applyEdits } from '../server/src/engine/text';
import type { Finding, SourceComment } from '../server/src/engine/types';
import { allRulesConfig, fixturesDir, testEngine } from './helpers/engine';
import { tempDir } from './helpers/temp';

const KNOWN = new Set(['blocking-call-in-async', 'unused-suppression']);

function tmpdir(): string {
  return tempDir('asyncsense-engine-');
}

function comment(text: string, line: number, character: number, ownLine: boolean): SourceComment {
  return { text, ownLine, range: { start: { line, character }, end: { line, character: character + text.length } } };
}

function finding(rule: string, line: number, anchors: string[] = []): Finding {
  return {
    rule,
    family: 'blocking',
    severity: 'warning',
    anchors,
    message: 'm',
    range: { start: { line, character: 4 }, end: { line, character: 10 } },
  };
}

describe('engine: text', () => {
  it('maps offsets and positions with LF, CRLF and CR line breaks', () => {
    const idx = new LineIndex('a\r\nbc\nd\re');
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
    assert.equal(idx.lineText(1), 'bc');
    assert.equal(idx.lineText(2), 'd');
    assert.equal(idx.offsetAt({ line: 3, character: 0 }), 8);
    assert.equal(idx.eol(0), '\r\n');
    assert.equal(idx.eol(1), '\n');
  });

  it('counts columns in UTF-16 code units', () => {
    const idx = new LineIndex('x = "😀"; y');
    assert.deepEqual(idx.positionAt('x = "😀"; y'.indexOf('y')), { line: 0, character: 10 });
  });

  it('applies edits and skips one that overlaps an earlier one', () => {
    const r = applyEdits('hello world', [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, newText: 'HELLO' },
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 7 } }, newText: 'X' },
      { range: { start: { line: 0, character: 11 }, end: { line: 0, character: 11 } }, newText: '!' },
    ]);
    assert.equal(r.text, 'HELLO world!');
    assert.equal(r.skipped.length, 1);
  });
});

describe('engine: configuration', () => {
  it('parses sizes', () => {
    assert.equal(parseSize('5MB'), 5 * 1024 * 1024);
    assert.equal(parseSize('512 KiB'), 512 * 1024);
    assert.equal(parseSize(1000), 1000);
    assert.equal(parseSize('big'), undefined);
    assert.equal(parseSize(-1), undefined);
  });

  it('validates keys, rule ids and types, keeping the valid parts', () => {
    const { config, problems } = resolveConfig(
      { select: ['blocking-call-in-async', 'nope'], severity: { 'blocking-call-in-async': 'error', x: 'warning', 'unused-suppression': 'loud' }, 'max-file-size': 'huge', colour: true, exclude: 'x' },
      '/p/asyncsense.json',
      '/p',
      KNOWN,
    );
    assert.deepEqual(config.select, ['blocking-call-in-async']);
    assert.equal(config.severity['blocking-call-in-async'], 'error');
    assert.equal(config.maxFileSize, DEFAULT_MAX_FILE_SIZE);
    const keys = problems.map((p) => p.key).sort();
    assert.deepEqual(keys, ['colour', 'exclude', 'max-file-size', 'select', 'severity.unused-suppression', 'severity.x']);
    assert.ok(problems.every((p) => p.file === '/p/asyncsense.json'));
    assert.match(problems.find((p) => p.key === 'select')!.message, /unknown rule id 'nope'/);
  });

  it('finds the nearest configuration: asyncsense.json, pyproject [tool.asyncsense], package.json', () => {
    const root = tmpdir();
    fs.mkdirSync(path.join(root, 'py/pkg'), { recursive: true });
    fs.mkdirSync(path.join(root, 'ts/src'), { recursive: true });
    fs.mkdirSync(path.join(root, 'plain/sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'asyncsense.json'), JSON.stringify({ ignore: ['unused-suppression'] }));
    fs.writeFileSync(path.join(root, 'py/pyproject.toml'), '[project]\nname = "x"\n\n[tool.asyncsense]\nignore = ["blocking-call-in-async"]\nmax-file-size = "1MB"\n[tool.asyncsense.severity]\nunused-suppression = "info"\n');
    fs.writeFileSync(path.join(root, 'ts/package.json'), JSON.stringify({ name: 'x', asyncsense: { severity: { 'blocking-call-in-async': 'error' } } }));
    fs.writeFileSync(path.join(root, 'plain/pyproject.toml'), '[project]\nname = "no-section"\n');
    const r = new ConfigResolver(KNOWN, root);
    const py = r.forFile(path.join(root, 'py/pkg/mod.py'));
    assert.deepEqual(py.problems, []);
    assert.deepEqual(py.config.ignore, ['blocking-call-in-async']);
    assert.equal(py.config.maxFileSize, 1024 * 1024);
    assert.equal(py.config.severity['unused-suppression'], 'info');
    assert.equal(py.config.root, path.join(root, 'py'));
    const ts = r.forFile(path.join(root, 'ts/src/a.ts'));
    assert.equal(ts.config.severity['blocking-call-in-async'], 'error');
    // A pyproject.toml without [tool.asyncsense] does not stop the search.
    const plain = r.forFile(path.join(root, 'plain/sub/a.py'));
    assert.deepEqual(plain.config.ignore, ['unused-suppression']);
    assert.equal(plain.config.source, path.join(root, 'asyncsense.json'));
  });

  it('reports invalid TOML and JSON with the file name and uses defaults', () => {
    const root = tmpdir();
    fs.mkdirSync(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, 'a/pyproject.toml'), '[tool.asyncsense\nselect = [');
    fs.writeFileSync(path.join(root, 'asyncsense.json'), '{ "select": [ }');
    const r = new ConfigResolver(KNOWN, root);
    const a = r.forFile(path.join(root, 'a/x.py'));
    assert.equal(a.problems.length, 1);
    assert.equal(a.problems[0].file, path.join(root, 'a/pyproject.toml'));
    assert.match(a.problems[0].message, /invalid TOML/);
    assert.equal(a.config.select, null);
    const b = r.forFile(path.join(root, 'x.py'));
    assert.match(b.problems[0].message, /invalid JSON/);
  });

  it('an explicit configuration file applies to every file', () => {
    const root = tmpdir();
    const file = path.join(root, 'custom.json');
    fs.writeFileSync(file, JSON.stringify({ select: ['unused-suppression'] }));
    const r = new ConfigResolver(KNOWN, root, file);
    assert.deepEqual(r.forFile('/elsewhere/x.py').config.select, ['unused-suppression']);
    const missing = new ConfigResolver(KNOWN, root, path.join(root, 'missing.json'));
    assert.match(missing.forFile('/x.py').problems[0].message, /not found/);
  });
});

describe('engine: suppressions', () => {
  it('parses the Python forms: trailing, own line, file-level, noqa', () => {
    const s = parseSuppressions(
      [
        comment('# asyncsense: ignore[blocking-call-in-async, unused-suppression]', 3, 10, false),
        comment('# asyncsense: ignore', 5, 4, true),
        comment('# asyncsense: ignore-file[blocking-call-in-async]', 0, 0, true),
        comment('# noqa: ASYNC251, E501', 8, 12, false),
        comment('# noqa', 9, 12, false),
        comment('# this is not a noqa directive', 10, 0, true),
      ],
      'python',
    );
    assert.deepEqual(
      s.map((x) => [x.kind, x.line, x.ids]),
      [
        ['asyncsense', 3, ['blocking-call-in-async', 'unused-suppression']],
        ['asyncsense', 6, null],
        ['asyncsense', -1, ['blocking-call-in-async']],
        ['noqa', 8, ['ASYNC251', 'E501']],
        ['noqa', 9, null],
      ],
    );
  });

  it('parses the TS forms with an ESLint-style reason', () => {
    const s = parseSuppressions(
      [
        comment('// asyncsense-ignore-next-line blocking-call-in-async -- startup only', 4, 2, true),
        comment('// asyncsense-ignore-line', 7, 20, false),
        comment('/* asyncsense-ignore-file blocking-call-in-async */', 0, 0, true),
      ],
      'typescript',
    );
    assert.deepEqual(
      s.map((x) => [x.line, x.ids]),
      [
        [5, ['blocking-call-in-async']],
        [7, null],
        [-1, ['blocking-call-in-async']],
      ],
    );
  });

  it('silences matching findings; noqa matches anchors; unused ones are reported with a fix', () => {
    const text = [
      'a # asyncsense: ignore[blocking-call-in-async]',
      'b # noqa: ASYNC251',
      'c # asyncsense: ignore[blocking-call-in-async, unused-suppression]',
      'd',
      'e # asyncsense: ignore[not-a-rule]',
    ].join('\n');
    const sups = parseSuppressions(
      [
        comment('# asyncsense: ignore[blocking-call-in-async]', 0, 2, false),
        comment('# noqa: ASYNC251', 1, 2, false),
        comment('# asyncsense: ignore[blocking-call-in-async, unused-suppression]', 2, 2, false),
        comment('# asyncsense: ignore[not-a-rule]', 4, 2, false),
      ],
      'python',
    );
    const kept = applySuppressions(
      [finding('blocking-call-in-async', 0, ['ASYNC251']), finding('blocking-call-in-async', 1, ['ASYNC251']), finding('blocking-call-in-async', 2), finding('blocking-call-in-async', 3)],
      sups,
      { isEnabled: (id) => KNOWN.has(id), isKnown: (id) => KNOWN.has(id), reportUnused: true, text },
    );
    const lines = kept.map((f) => `${f.range.start.line}:${f.rule}`);
    assert.deepEqual(lines, ['3:blocking-call-in-async', '2:unused-suppression', '4:unused-suppression']);
    const partial = kept.find((f) => f.range.start.line === 2)!;
    assert.match(partial.message, /'unused-suppression'/);
    assert.equal(partial.fix!.safe, true);
    assert.equal(applyEdits(text, partial.fix!.edits).text.split('\n')[2], 'c # asyncsense: ignore[blocking-call-in-async]');
    const unknown = kept.find((f) => f.range.start.line === 4)!;
    assert.match(unknown.message, /Unknown rule id/);
    assert.equal(applyEdits(text, unknown.fix!.edits).text.split('\n')[4], 'e');
  });

  it('removes an unused own-line directive together with its line', () => {
    const text = 'x = 1\n# asyncsense: ignore[blocking-call-in-async]\ny = 2\n';
    const sups = parseSuppressions([comment('# asyncsense: ignore[blocking-call-in-async]', 1, 0, true)], 'python');
    const kept = applySuppressions([], sups, { isEnabled: () => true, isKnown: () => true, reportUnused: true, text });
    assert.equal(kept.length, 1);
    assert.equal(applyEdits(text, kept[0].fix!.edits).text, 'x = 1\ny = 2\n');
  });

  it('does not report ids of disabled rules, nor noqa comments', () => {
    const sups = parseSuppressions([comment('# asyncsense: ignore[blocking-call-in-async]  # noqa: ASYNC999', 0, 0, false)], 'python');
    const kept = applySuppressions([], sups, { isEnabled: () => false, isKnown: () => true, reportUnused: true, text: 'x' });
    assert.deepEqual(kept, []);
  });

  it('"disable for this line" adds a trailing Python comment, extends an existing one, or adds a TS line above', () => {
    const py = 'async def f():\n    time.sleep(1)\n';
    const e1 = disableForLineEdit('python', py, [], 1, 'blocking-call-in-async');
    assert.equal(applyEdits(py, [e1]).text, 'async def f():\n    time.sleep(1)  # asyncsense: ignore[blocking-call-in-async]\n');
    const py2 = 'x()  # asyncsense: ignore[unused-suppression]\n';
    const e2 = disableForLineEdit('python', py2, [comment('# asyncsense: ignore[unused-suppression]', 0, 5, false)], 0, 'blocking-call-in-async');
    assert.equal(applyEdits(py2, [e2]).text, 'x()  # asyncsense: ignore[unused-suppression, blocking-call-in-async]\n');
    const ts = 'async function f() {\r\n  fs.readFileSync(p);\r\n}\r\n';
    const e3 = disableForLineEdit('typescript', ts, [], 1, 'blocking-call-in-async');
    assert.equal(applyEdits(ts, [e3]).text, 'async function f() {\r\n  // asyncsense-ignore-next-line blocking-call-in-async\r\n  fs.readFileSync(p);\r\n}\r\n');
    const py3 = 'async def f():\n    x = g("""\n    text""")\n';
    const e4 = disableForLineEdit('python', py3, [], 1, 'blocking-call-in-async');
    assert.equal(applyEdits(py3, [e4]).text, 'async def f():\n    # asyncsense: ignore[blocking-call-in-async]\n    x = g("""\n    text""")\n');
  });
});

describe('engine: files that cannot be analysed', () => {
  it('skips binary and oversized texts with a reason', () => {
    assert.match(unanalysableReason('a\u0000b', 100)!, /binary/);
    assert.match(unanalysableReason('x'.repeat(200), 100)!, /over 100 B/);
    assert.equal(unanalysableReason('print(1)', 100), undefined);
  });

  it('skips minified JavaScript, not a source file with one long line', async () => {
    const engine = await testEngine();
    const config = allRulesConfig('/tmp');
    const statement = 'async function f(){await g()}f();';
    const minified = statement.repeat(400);
    const skipped = engine.analyze({ filePath: '/tmp/vendor.min.js', text: minified }, config);
    assert.match(skipped.skipped ?? '', /^minified code \(lines of \d+ characters on average\)$/);
    assert.deepEqual(skipped.findings, []);
    // The same code one statement per line is analysed, and so is a file with one long data line.
    const readable = engine.analyze({ filePath: '/tmp/app.js', text: `${statement}\n`.repeat(400) }, config);
    assert.equal(readable.skipped, undefined);
    assert.ok(readable.findings.some((f) => f.rule === 'floating-promise'));
    const dataLine = `const LOGO = "data:image/png;base64,${'A'.repeat(6000)}";\n${'async function h() { await g(); }\n'.repeat(30)}`;
    assert.equal(engine.analyze({ filePath: '/tmp/logo.js', text: dataLine }, config).skipped, undefined);
    // A bundle of readable modules with minified libraries glued in (a third of it on long lines) is skipped too;
    // a large source file with a few data lines is not.
    const libraryLine = `!function(){${statement.repeat(100)}}();\n`;
    const bundle = `${libraryLine.repeat(20)}${`${statement}\n`.repeat(3000)}`;
    assert.ok(bundle.length > 128 * 1024 && bundle.length / bundle.split('\n').length < 400);
    assert.match(engine.analyze({ filePath: '/tmp/main.bundle.js', text: bundle }, config).skipped ?? '', /^minified code \(\d+% of it on lines over 2000 characters\)$/);
    const dataLines = `${dataLine.split('\n')[0]}\n`.repeat(3) + `${statement}\n`.repeat(5000);
    assert.ok(dataLines.length > 128 * 1024);
    assert.equal(engine.analyze({ filePath: '/tmp/icons.js', text: dataLines }, config).skipped, undefined);
    // A readable compiled module with its source map inlined (one base64 line as long as the code) is analysed;
    // a minified one with the same source map is still skipped.
    const sourceMap = `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${'eyJ2'.repeat(30000)}\n`;
    const compiled = `${statement}\n`.repeat(1500) + sourceMap;
    assert.ok(compiled.length > 128 * 1024);
    assert.equal(engine.analyze({ filePath: '/tmp/lib/node/index.js', text: compiled }, config).skipped, undefined);
    assert.match(engine.analyze({ filePath: '/tmp/dist/app.min.js', text: `${minified}\n${sourceMap}` }, config).skipped ?? '', /^minified code/);
    // Python is never minified: a long file of long lines is still analysed.
    assert.equal(engine.analyze({ filePath: '/tmp/gen.py', text: `X = "${'a'.repeat(9000)}"\n` }, config).skipped, undefined);
  });
});

describe('engine: fix-all selection', () => {
  it('keeps fixes whole, drops overlapping ones, and merges identical insertions', () => {
    const ins = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import asyncio\n' };
    const f1 = { ...finding('blocking-call-in-async', 2), fix: { title: 'a', safe: true, edits: [ins, { range: { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } }, newText: 'X' }] } };
    const f2 = { ...finding('blocking-call-in-async', 3), fix: { title: 'b', safe: true, edits: [ins, { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } }, newText: 'Y' }] } };
    const f3 = { ...finding('blocking-call-in-async', 3), fix: { title: 'c', safe: true, edits: [{ range: { start: { line: 3, character: 6 }, end: { line: 3, character: 9 } }, newText: 'Z' }] } };
    const f4 = { ...finding('blocking-call-in-async', 4), fix: { title: 'd', safe: false, edits: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } }, newText: 'W' }] } };
    const { fixes, edits } = nonOverlappingFixes([f1, f2, f3, f4]);
    assert.deepEqual(fixes.map((f) => f.title), ['a', 'b']);
    assert.equal(edits.filter((e) => e.newText === 'import asyncio\n').length, 1);
    assert.deepEqual(nonOverlappingFixes([f4], { unsafe: true }).fixes.map((f) => f.title), ['d']);
    assert.deepEqual(nonOverlappingFixes([f1], { exclude: ['blocking-call-in-async'] }).fixes, []);
  });
});

describe('engine: configuration files no front end owns', () => {
  it('hands a changed package.json to the front ends (a package that becomes a mobile app)', async () => {
    const dir = fs.realpathSync(tempDir('asyncsense-pkg-'));
    const pkg = path.join(dir, 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'api', dependencies: { express: '^5.0.0' } }));
    const file = path.join(dir, 'client.js');
    const text = 'export async function load(url) {\n  const res = await fetch(url);\n  return res.json();\n}\n';
    fs.writeFileSync(file, text);
    const engine = await testEngine();
    const config = { ...allRulesConfig(dir), extendSelect: ['fetch-without-timeout'] };
    const rules = () => engine.analyze({ filePath: file, text }, config).findings.map((f) => f.rule);
    assert.deepEqual(rules(), ['fetch-without-timeout']);
    // The package becomes an Expo app: its fetches run on a device, not a server.
    fs.writeFileSync(pkg, JSON.stringify({ name: 'api', dependencies: { expo: '^54.0.0' } }));
    assert.deepEqual(rules(), ['fetch-without-timeout'], 'read again before being told');
    engine.updateFile(pkg, undefined);
    assert.deepEqual(rules(), []);
  });
});

describe('engine: messages that name the remedy', () => {
  it('busy-wait-loop advises one sleep for a loop that waits on a clock, an event for one that waits on state', async () => {
    const file = path.join(fixturesDir, 'python/hygiene/clock_polls.py');
    const engine = await testEngine();
    const found = engine.analyze({ filePath: file, text: fs.readFileSync(file, 'utf8') }, allRulesConfig(path.dirname(file))).findings;
    const advice = found.filter((f) => f.rule === 'busy-wait-loop').map((f) => [f.range.start.line + 1, /sleep once for the time left/.test(f.message) ? 'sleep' : /trio\.sleep_until/.test(f.message) ? 'sleep_until' : /Event/.test(f.message) ? 'event' : f.message]);
    assert.deepEqual(advice, [[12, 'sleep'], [17, 'sleep'], [22, 'sleep'], [27, 'sleep_until'], [33, 'event']]);
  });
});
