/** The CLI, run as a process exactly as CI runs it. */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../server/src/rules';
import { fixturesDir, repoRoot } from './helpers/engine';
import { tempDir } from './helpers/temp';
import { BIN, cli } from './helpers/cliTwins';


function tmp(files: Record<string, string | Buffer>): string {
  const dir = tempDir('asyncsense-');
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

const SLEEPY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';
const SYNC_TS = "import * as fs from 'node:fs';\nexport async function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n";

describe('cli', function () {
  this.timeout(60_000);

  it('prints the version and help', () => {
    const v = cli(['--version'], repoRoot);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^asyncsense \d+\.\d+\.\d+/);
    const h = cli(['--help'], repoRoot);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: asyncsense/);
  });

  it('finishes on a module with a top-level `global` statement (a name lookup once looped forever)', () => {
    const dir = tmp({ 'app.py': 'import asyncio\nglobal client\nclient = None\n\n\nasync def main():\n    asyncio.sleep(1)\n    client.close()\n' });
    const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', 'app.py'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined, 'the CLI did not finish within 30 s');
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule), ['unawaited-coroutine']);
  });

  it('exits 0 on a clean folder, 1 with findings', () => {
    const clean = tmp({ 'ok.py': 'import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n' });
    const r0 = cli(['check'], clean);
    assert.equal(r0.code, 0, r0.stderr);
    assert.match(r0.stdout, /No findings in 1 file\./);
    const dirty = tmp({ 'app.py': SLEEPY });
    const r1 = cli(['check'], dirty);
    assert.equal(r1.code, 1);
    assert.match(r1.stdout, /^app\.py:5:5: warning \[blocking-call-in-async\] time\.sleep\(\)/m);
    assert.match(r1.stdout, /1 finding in 1 file \(1 fixable with --fix/);
  });

  it('loads the TypeScript half only when a TS/JS file is analysed', () => {
    // A preloaded hook reports, at exit, whether the TS/JS bundle was loaded by the CLI bundle.
    const dir = tmp({ 'svc/worker.py': SLEEPY, 'web/load.ts': SYNC_TS });
    const hook = path.join(dir, 'hook.cjs');
    fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write(`ts-loaded=${Object.keys(require.cache).some((k) => k.endsWith('typescript-support.js'))}\\n`));\n");
    const env = { NODE_OPTIONS: `--require ${hook}` };
    const python = cli(['check', 'svc'], dir, env);
    assert.equal(python.code, 1, python.stderr);
    assert.match(python.stderr, /ts-loaded=false/);
    const both = cli(['check', 'svc', 'web'], dir, env);
    assert.equal(both.code, 1, both.stderr);
    assert.match(both.stdout, /blocking-call-in-async[\s\S]*blocking-call-in-async/);
    assert.match(both.stderr, /ts-loaded=true/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints JSON in the contract shape', () => {
    const dir = tmp({ 'src/app.py': SLEEPY, 'web/load.ts': SYNC_TS });
    const r = cli(['check', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.tool.name, 'asyncsense');
    assert.match(out.tool.version, /^\d+\.\d+\.\d+/);
    assert.equal(out.summary.files, 2);
    assert.equal(out.summary.findings, 2);
    assert.equal(typeof out.summary.durationMs, 'number');
    assert.deepEqual(out.summary.skipped, []);
    const [py, ts] = out.findings;
    assert.deepEqual(Object.keys(py).sort(), ['anchors', 'family', 'fix', 'message', 'path', 'range', 'rule', 'severity']);
    assert.equal(py.path, 'src/app.py');
    assert.equal(py.rule, 'blocking-call-in-async');
    assert.equal(py.family, 'blocking');
    assert.deepEqual(py.anchors, ['ASYNC251']);
    assert.equal(py.severity, 'warning');
    assert.deepEqual(py.range, { start: { line: 5, column: 5 }, end: { line: 5, column: 18 } });
    assert.equal(py.fix.safe, true);
    assert.deepEqual(py.fix.edits[0], { range: { start: { line: 5, column: 5 }, end: { line: 5, column: 18 } }, newText: 'await asyncio.sleep(1)' });
    assert.equal(ts.path, 'web/load.ts');
    assert.deepEqual(ts.anchors, ['n/no-sync']);
    assert.deepEqual(ts.range.start, { line: 3, column: 10 });
  });

  it('fix is null when a finding has no safe fix', () => {
    const dir = tmp({ 'a.ts': "import { execSync } from 'child_process';\nexport async function f() { execSync('ls'); }\n" });
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.equal(out.findings[0].fix, null);
  });

  it('prints SARIF 2.1.0 with rule metadata, help links and regions', () => {
    const dir = tmp({ 'app.py': SLEEPY });
    const r = cli(['check', '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif/);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'asyncsense');
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'blocking-call-in-async');
    assert.match(rule.helpUri, /docs\/rules\/blocking-call-in-async\.md$/);
    assert.ok(rule.shortDescription.text.length > 10);
    const result = run.results[0];
    assert.equal(result.ruleId, 'blocking-call-in-async');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'blocking-call-in-async');
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 5, startColumn: 5, endLine: 5, endColumn: 18 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'app.py');
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'await asyncio.sleep(1)');
  });

  it('prints GitHub workflow annotations with escaping', () => {
    const dir = tmp({ 'a,b.py': SLEEPY });
    const r = cli(['check', '--format', 'github'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::warning file=a%2Cb\.py,line=5,col=5,endLine=5,endColumn=18,title=asyncsense\(blocking-call-in-async\)::time\.sleep\(\)/m);
  });

  it('exits 2 with a message naming the file and key for a bad configuration', () => {
    const badToml = tmp({ 'pyproject.toml': '[tool.asyncsense\nselect = [', 'a.py': SLEEPY });
    const r1 = cli(['check'], badToml);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /pyproject\.toml.*invalid TOML/);
    const unknownRule = tmp({ 'asyncsense.json': JSON.stringify({ ignore: ['no-such-rule'] }), 'a.py': SLEEPY });
    const r2 = cli(['check'], unknownRule);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /asyncsense\.json \(key 'ignore'\): unknown rule id 'no-such-rule'/);
    const wrongType = tmp({ 'package.json': JSON.stringify({ name: 'x', asyncsense: { maxFileSize: 'huge' } }), 'a.ts': SYNC_TS });
    const r3 = cli(['check'], wrongType);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /package\.json \(key 'maxFileSize'\)/);
  });

  it('exits 2 on usage errors', () => {
    const dir = tmp({ 'a.py': SLEEPY });
    assert.equal(cli(['check', '--format', 'xml'], dir).code, 2);
    assert.equal(cli(['check', '--bogus'], dir).code, 2);
    const r = cli(['check', '--select', 'nope'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule id 'nope'/);
    assert.equal(cli(['frobnicate'], dir).code, 2);
  });

  it('--select and --ignore override the configuration', () => {
    const dir = tmp({ 'a.py': SLEEPY });
    assert.equal(cli(['check', '--ignore', 'blocking-call-in-async'], dir).code, 0);
    assert.equal(cli(['check', '--select', 'unused-suppression'], dir).code, 0);
    assert.equal(cli(['check', '--select', 'blocking-call-in-async'], dir).code, 1);
  });

  it('honours .gitignore and the configuration excludes; explicit files are always checked', () => {
    const dir = tmp({
      '.gitignore': 'generated/\n*.gen.py\n!keep.gen.py\n',
      'generated/a.py': SLEEPY,
      'x.gen.py': SLEEPY,
      'keep.gen.py': SLEEPY,
      'node_modules/pkg/index.ts': SYNC_TS,
      'asyncsense.json': JSON.stringify({ 'extend-exclude': ['legacy/'] }),
      'legacy/old.py': SLEEPY,
      'src/app.py': SLEEPY,
    });
    fs.mkdirSync(path.join(dir, '.git'));
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.deepEqual(out.findings.map((f: { path: string }) => f.path).sort(), ['keep.gen.py', 'src/app.py']);
    const explicit = JSON.parse(cli(['check', '--format', 'json', 'legacy/old.py'], dir).stdout);
    assert.deepEqual(explicit.findings.map((f: { path: string }) => f.path), ['legacy/old.py']);
  });

  it('skips binary, non-UTF-8 and oversized files with a reason', () => {
    const dir = tmp({
      'bin.py': Buffer.from([0x69, 0x6d, 0x00, 0x01, 0x02]),
      'latin1.py': Buffer.from('x = "caf\xe9"\n', 'latin1'),
      'big.py': `${'# padding\n'.repeat(300)}${SLEEPY}`,
      'asyncsense.json': JSON.stringify({ 'max-file-size': 1024 }),
      'ok.py': SLEEPY,
    });
    const r = cli(['check', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    const reasons = Object.fromEntries(out.summary.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason]));
    assert.match(reasons['bin.py'], /binary/);
    assert.match(reasons['latin1.py'], /UTF-8/);
    assert.match(reasons['big.py'], /over 1 KB/);
    assert.deepEqual(out.findings.map((f: { path: string }) => f.path), ['ok.py']);
    assert.match(r.stderr, /skipped big\.py/);
  });

  it('--fix rewrites files to their .fixed twins and reports what is left', () => {
    const sources = [
      'python/blocking-call-in-async/sleep.py',
      'python/swallowed-cancellation/handlers.py',
      'typescript/blocking-call-in-async/imports.ts',
      'typescript/blocking-call-in-async/commonjs.cjs',
    ];
    const files: Record<string, string> = {};
    for (const s of sources) files[s] = fs.readFileSync(path.join(fixturesDir, s), 'utf8');
    const dir = tmp(files);
    const r = cli(['check', '--fix', '--format', 'json'], dir);
    assert.equal(r.code, 1, 'unfixable findings remain');
    const out = JSON.parse(r.stdout);
    assert.ok(out.summary.fixed > 5);
    assert.ok(out.findings.every((f: { fix: { safe: boolean } | null }) => !f.fix || !f.fix.safe), 'no safe fix left');
    for (const s of sources) {
      assert.equal(fs.readFileSync(path.join(dir, s), 'utf8'), fs.readFileSync(path.join(fixturesDir, `${s}.fixed`), 'utf8'), s);
    }
    assert.match(r.stderr, /Applied \d+ fixes in 4 files\./);
  });

  it('--fix keeps a UTF-8 BOM', () => {
    const dir = tmp({ 'a.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SLEEPY)]) });
    cli(['check', '--fix'], dir);
    const bytes = fs.readFileSync(path.join(dir, 'a.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(bytes.toString('utf8'), /await asyncio\.sleep\(1\)/);
  });

  it('lists every rule with its metadata', () => {
    const r = cli(['rules', '--format', 'json'], repoRoot);
    assert.equal(r.code, 0);
    const { rules } = JSON.parse(r.stdout);
    const ids = rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('blocking-call-in-async'));
    assert.ok(ids.includes('unused-suppression'));
    const rule = rules.find((x: { id: string }) => x.id === 'blocking-call-in-async');
    assert.deepEqual(rule.languages, ['python', 'typescript']);
    assert.equal(rule.fixable, 'safe');
    assert.match(rule.docUrl, /blocking-call-in-async\.md$/);
    assert.equal(rule.family, 'blocking');
    assert.equal(rule.defaultSeverity, 'warning');
    assert.deepEqual(rule.anchors, ['ASYNC251', 'n/no-sync']);
    assert.equal(rule.optIn, false);
    assert.ok(rule.summary.length > 10);
    const unused = rules.find((x: { id: string }) => x.id === 'unused-suppression');
    assert.deepEqual(
      Object.keys(unused).sort(),
      ['anchors', 'defaultSeverity', 'docUrl', 'family', 'fixable', 'id', 'languages', 'optIn', 'summary'],
    );
    assert.equal(unused.family, 'hygiene');
    assert.deepEqual(unused.anchors, ['RUF100']);
    assert.equal(rules.length, allRules.length);
  });

  it('runs on the bundled examples as the README says', () => {
    const r = cli(['check', 'examples', '--format', 'json'], repoRoot);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    const paths = new Set(out.findings.map((f: { path: string }) => f.path.split('/')[1]));
    assert.ok(paths.has('python-service') && paths.has('node-service'), [...paths].join(','));
    // The examples' pyproject makes blocking calls errors.
    assert.ok(out.findings.some((f: { path: string; severity: string }) => f.path.endsWith('worker.py') && f.severity === 'error'));
  });
  it('exits 2 when a path does not exist, naming it', () => {
    const dir = tmp({ 'a.py': SLEEPY });
    const r = cli(['check', 'a.py', 'nope/'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file or folder: nope\//);
    assert.equal(r.stdout, '');
  });

  it('reports more configuration problems with file and key, including --config', () => {
    const severity = tmp({ 'asyncsense.json': JSON.stringify({ severity: { 'blocking-call-in-async': 'loud' } }), 'a.py': SLEEPY });
    const r1 = cli(['check'], severity);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /asyncsense\.json \(key 'severity\.blocking-call-in-async'\): severity must be one of/);
    const unknownKey = tmp({ 'pyproject.toml': '[tool.asyncsense]\nselekt = ["all"]\n', 'a.py': SLEEPY });
    const r2 = cli(['check'], unknownKey);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /pyproject\.toml \(key 'selekt'\): unknown setting/);
    const dir = tmp({ 'a.py': SLEEPY, 'cfg.json': '{ "select": [', 'ok.json': JSON.stringify({ ignore: ['blocking-call-in-async'] }) });
    const r3 = cli(['check', '--config', 'missing.json'], dir);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /missing\.json: configuration file not found/);
    const r4 = cli(['check', '--config', 'cfg.json'], dir);
    assert.equal(r4.code, 2);
    assert.match(r4.stderr, /cfg\.json: invalid JSON/);
    assert.equal(cli(['check', '--config', 'ok.json'], dir).code, 0);
    // --config excludes are relative to the current folder, wherever the file is (as in ruff).
    const ci = tmp({ 'ci/lint.json': JSON.stringify({ exclude: ['src/gen/'] }), 'src/gen/a.py': SLEEPY, 'src/app.py': SLEEPY });
    const r5 = JSON.parse(cli(['check', '--config', 'ci/lint.json', '--format', 'json'], ci).stdout);
    assert.deepEqual(r5.findings.map((f: { path: string }) => f.path), ['src/app.py']);
    // A bad configuration is reported even when the folder has nothing to analyse.
    const empty = tmp({ 'asyncsense.json': '{', 'README.md': '' });
    assert.equal(cli(['check'], empty).code, 2);
  });

  it('walks a folder named explicitly even when it is git-ignored', () => {
    const dir = tmp({ '.gitignore': 'build/\n', 'build/gen.py': SLEEPY, 'src/ok.py': '' });
    fs.mkdirSync(path.join(dir, '.git'));
    assert.equal(cli(['check'], dir).code, 0);
    const out = JSON.parse(cli(['check', 'build', '--format', 'json'], dir).stdout);
    assert.deepEqual(out.findings.map((f: { path: string }) => f.path), ['build/gen.py']);
  });

  it('text format: skipped files are notes on stderr, --quiet prints findings only', () => {
    const dir = tmp({ 'app.py': SLEEPY, 'bin.py': Buffer.from([0x61, 0x00, 0x62]) });
    const r = cli(['check'], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /skipped/);
    assert.match(r.stderr, /^note: skipped bin\.py: binary file \(contains NUL bytes\)$/m);
    const q = cli(['check', '--quiet'], dir);
    assert.equal(q.code, 1);
    assert.equal(q.stdout.trim().split('\n').length, 1);
    assert.match(q.stdout, /^app\.py:5:5: warning \[blocking-call-in-async\]/);
    assert.equal(q.stderr, '');
  });

  it('a TypeScript file nested too deeply to analyse is a skip with its reason, not an internal error', () => {
    const nested = `export async function f() { const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}; fetch('/x'); }\n`;
    const dir = tmp({ 'nested.ts': nested, 'app.py': SLEEPY });
    const r = cli(['check'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^note: skipped nested\.ts: nested too deeply to analyse$/m);
    assert.doesNotMatch(r.stderr, /internal error/);
  });

  it('--fix in text mode prints the fix count on stderr and the remaining findings', () => {
    const dir = tmp({ 'app.py': SLEEPY });
    const r = cli(['check', '--fix'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^No findings in 1 file\.$/m);
    assert.match(r.stderr, /Applied 1 fix in 1 file\./);
    assert.match(fs.readFileSync(path.join(dir, 'app.py'), 'utf8'), /import asyncio/);
  });

  it('--fix never touches files without fixes, nor skipped ones', () => {
    const binary = Buffer.from([0x74, 0x69, 0x6d, 0x65, 0x00]);
    const dir = tmp({ 'clean.py': 'x = 1\r\n', 'bin.py': binary });
    const before = fs.statSync(path.join(dir, 'clean.py')).mtimeMs;
    const r = cli(['check', '--fix', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.fixed, 0);
    assert.equal(out.summary.files, 1);
    assert.deepEqual(out.summary.skipped, [{ path: 'bin.py', reason: 'binary file (contains NUL bytes)' }]);
    assert.equal(fs.statSync(path.join(dir, 'clean.py')).mtimeMs, before);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'bin.py')), binary);
  });

  it('skips UTF-16 files with a reason, and reports columns in UTF-16 units', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SLEEPY, 'utf16le')]);
    const wide = "import time\n\n\nasync def handler():\n    s = '😀é'; time.sleep(1)\n";
    const dir = tmp({ 'u16.py': utf16, 'wide.py': wide });
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.deepEqual(out.summary.skipped, [{ path: 'u16.py', reason: 'UTF-16 encoded (only UTF-8 is supported)' }]);
    // `    s = '😀é'; ` is 15 UTF-16 units (the emoji counts 2): the call starts at column 16.
    assert.deepEqual(out.findings[0].range.start, { line: 5, column: 16 });
  });

  it('reads a Python file in the encoding it declares, and writes its fixes back in that encoding', () => {
    const latin1 = Buffer.from("# -*- coding: latin-1 -*-\nimport time\n\n\nasync def handler():\n    s = 'caf\u00e9'; time.sleep(1)\n", 'latin1');
    // Japanese in EUC-JP takes two bytes a character: the findings are reported, the file is not written.
    const eucjp = Buffer.concat([Buffer.from("# coding: euc-jp\nimport time\n\n\nasync def handler():\n    s = '"), Buffer.from([0xa4, 0xa2]), Buffer.from("'; time.sleep(1)\n")]);
    // A declaration after a line of code is none (as for Python): not UTF-8, so skipped.
    const late = Buffer.from("import time\n# coding: latin-1\ns = '\u00e9'\n", 'latin1');
    const dir = tmp({ 'l1.py': latin1, 'jp.py': eucjp, 'late.py': late, 'js.js': Buffer.from("// coding: latin-1\nconst s = '\u00e9';\n", 'latin1') });
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.deepEqual(out.findings.map((f: { path: string; range: { start: unknown } }) => [f.path, f.range.start]), [
      ['jp.py', { line: 6, column: 14 }],
      ['l1.py', { line: 6, column: 17 }],
    ]);
    assert.deepEqual(out.summary.skipped, [
      { path: 'js.js', reason: 'not valid UTF-8' },
      { path: 'late.py', reason: 'not valid UTF-8' },
    ]);
    const fixed = JSON.parse(cli(['check', '--fix', '--format', 'json'], dir).stdout);
    assert.deepEqual(fixed.findings.map((f: { path: string }) => f.path), ['jp.py']);
    assert.ok(fixed.summary.skipped.some((s: { path: string; reason: string }) => s.path === 'jp.py' && /^not fixed: .*euc-jp/.test(s.reason)));
    assert.deepEqual(fs.readFileSync(path.join(dir, 'jp.py')), eucjp);
    const written = fs.readFileSync(path.join(dir, 'l1.py'));
    assert.equal(written.toString('latin1'), "# -*- coding: latin-1 -*-\nimport asyncio\nimport time\n\n\nasync def handler():\n    s = 'caf\u00e9'; await asyncio.sleep(1)\n");
    // Standard input declares its encoding the same way, and comes back in it.
    const piped = spawnSync(process.execPath, [BIN, 'check', '--fix', '--stdin-filename', 'in.py', '-'], { cwd: dir, input: latin1 });
    assert.deepEqual(piped.stdout, written);
  });

  it('--output writes the report to a file', () => {
    const dir = tmp({ 'app.py': SLEEPY });
    const r = cli(['check', '--format', 'sarif', '--output', 'report.sarif'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'report.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results.length, 1);
    assert.equal(cli(['check', '--output', 'no/such/dir/r.txt'], dir).code, 2);
  });

  it('SARIF: every rule, base URI, invocation with skipped files, encoded relative URIs', () => {
    const dir = tmp({ 'dir #1/app.py': SLEEPY, 'bin.py': Buffer.from([0, 1]) });
    const sarif = JSON.parse(cli(['check', '--format', 'sarif'], dir).stdout);
    const run = sarif.runs[0];
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), allRules.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.helpUri, rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
      assert.ok(rule.properties.family && Array.isArray(rule.properties.anchors), rule.id);
    }
    assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
    const loc = run.results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(loc, { uri: 'dir%20%231/app.py', uriBaseId: '%SRCROOT%' });
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri, 'bin.py');
    const region = run.results[0].fixes[0].artifactChanges[0].replacements[0].deletedRegion;
    assert.deepEqual(Object.keys(region).sort(), ['endColumn', 'endLine', 'startColumn', 'startLine']);
  });

  it('github format: notice for info severities, escaping in messages and properties', () => {
    const dir = tmp({
      'asyncsense.json': JSON.stringify({ severity: { 'blocking-call-in-async': 'info' } }),
      'd:x/a.py': SLEEPY,
    });
    const r = cli(['check', '--format', 'github'], dir);
    assert.equal(r.code, 1);
    const [line] = r.stdout.trim().split('\n');
    assert.match(line, /^::notice file=d%3Ax\/a\.py,line=5,col=5,endLine=5,endColumn=18,title=asyncsense\(blocking-call-in-async\)::/);
    assert.doesNotMatch(line.split('::')[2], /[\r\n]/);
  });

  it('gitlab format: a Code Quality report whose fingerprints survive code moving above a finding', () => {
    const body = '\n\nasync def other():\n    time.sleep(1)\n';
    const dir = tmp({ 'asyncsense.json': JSON.stringify({ severity: { 'blocking-call-in-async': 'error' } }), 'a.py': SLEEPY + body });
    const r = cli(['check', '--format', 'gitlab'], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.length, 2);
    assert.deepEqual(
      { ...report[0], fingerprint: undefined },
      { description: report[0].description, check_name: 'blocking-call-in-async', fingerprint: undefined, severity: 'critical', location: { path: 'a.py', lines: { begin: 5, end: 5 } } },
    );
    assert.match(report[0].fingerprint, /^[0-9a-f]{64}$/);
    // Two findings of one rule in one file still differ (their messages name their functions).
    assert.notEqual(report[0].fingerprint, report[1].fingerprint);
    fs.writeFileSync(path.join(dir, 'a.py'), 'VERSION = 2\n\n' + SLEEPY + body);
    const moved = JSON.parse(cli(['check', '--format', 'gitlab'], dir).stdout);
    assert.equal(moved[0].location.lines.begin, 7);
    assert.deepEqual(moved.map((f: { fingerprint: string }) => f.fingerprint), report.map((f: { fingerprint: string }) => f.fingerprint));
    const clean = tmp({ 'ok.py': 'x = 1\n' });
    assert.deepEqual(JSON.parse(cli(['check', '--format', 'gitlab'], clean).stdout), []);
  });

  it('rules --format text lists every rule; extra arguments are usage errors', () => {
    const r = cli(['rules'], repoRoot);
    assert.equal(r.code, 0);
    for (const rule of allRules) assert.match(r.stdout, new RegExp(`^${rule.id} `, 'm'));
    assert.equal(cli(['rules', '--format', 'xml'], repoRoot).code, 2);
    assert.equal(cli(['rules', 'extra'], repoRoot).code, 2);
    const none = cli([], repoRoot);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage: asyncsense/);
  });
  it('skips unreadable folders and files with a reason', function () {
    if (process.platform === 'win32') this.skip();
    const dir = tmp({ 'a.py': SLEEPY, 'locked/b.py': SLEEPY, 'secret.py': SLEEPY });
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    fs.chmodSync(path.join(dir, 'secret.py'), 0o000);
    fs.chmodSync(dir, 0o755);
    try {
      let r;
      if (process.getuid?.() === 0) {
        // root reads everything: run as nobody when possible.
        const setpriv = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'check', '--format', 'json'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        if (setpriv.error || !setpriv.stdout.startsWith('{')) this.skip();
        r = { code: setpriv.status, stdout: setpriv.stdout, stderr: setpriv.stderr };
      } else {
        r = cli(['check', '--format', 'json'], dir);
      }
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.summary.skipped, [
        { path: 'locked', reason: 'cannot read folder: permission denied' },
        { path: 'secret.py', reason: 'cannot read: permission denied' },
      ]);
      assert.deepEqual(out.findings.map((f: { path: string }) => f.path), ['a.py']);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
      fs.chmodSync(path.join(dir, 'secret.py'), 0o644);
    }
  });

  it('server --stdio accepts the options LSP clients add and answers initialize', async () => {
    const child = spawn(process.execPath, [BIN, 'server', '--stdio', `--clientProcessId=${process.pid}`], { cwd: repoRoot });
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const response = await new Promise<{ id: number; result: { capabilities: object } }>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        child.stdout.on('data', (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk]);
          for (;;) {
            const text = buf.toString('latin1');
            const head = text.indexOf('\r\n\r\n');
            if (head < 0) return;
            const length = Number(/Content-Length: (\d+)/i.exec(text.slice(0, head))?.[1]);
            if (buf.length < head + 4 + length) return;
            const message = JSON.parse(buf.subarray(head + 4, head + 4 + length).toString('utf8'));
            buf = buf.subarray(head + 4 + length);
            if (message.id === 1) resolve(message);
          }
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      assert.equal(response.id, 1);
      assert.ok(response.result.capabilities);
    } finally {
      child.kill();
    }
  });
});

describe('cli --jobs', function () {
  this.timeout(120_000);

  // Findings that need other files: a coroutine imported from another module, a promise from
  // another file's async function, a file that cannot be read as text, a syntax error.
  const project = (): string =>
    tmp({
      'svc/store.py': 'async def load(key):\n    return key\n',
      'svc/api.py': 'import time\nfrom svc.store import load\n\n\nasync def handler(key):\n    load(key)\n    time.sleep(1)\n',
      'svc/broken.py': 'async def f(:\n    pass\n',
      'svc/blob.py': Buffer.from([0x61, 0x00, 0x62]),
      'web/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' } }),
      'web/store.ts': 'export async function save(x: number): Promise<void> {\n  await Promise.resolve(x);\n}\n',
      'web/api.ts': "import { save } from './store';\nimport * as fs from 'node:fs';\nexport async function run(): Promise<void> {\n  save(1);\n  fs.readFileSync('x');\n}\n",
      'web/plain.ts': 'export const n = 1;\n',
    });

  it('reports the same findings on several threads as on one, cross-file ones included', () => {
    const dir = project();
    const one = cli(['check', '--format', 'json', '--jobs', '1'], dir, { ASYNCSENSE_DEBUG: '1' });
    const three = cli(['check', '--format', 'json', '--jobs', '3'], dir, { ASYNCSENSE_DEBUG: '1' });
    assert.equal(one.code, 1, one.stderr);
    assert.equal(three.code, 1, three.stderr);
    assert.match(one.stderr, /analysed 7 files on 1 thread\n/);
    assert.match(three.stderr, /analysed 7 files on 3 threads\n/);
    assert.doesNotMatch(three.stderr, /worker thread failed/);
    const strip = (out: string) => {
      const json = JSON.parse(out);
      delete json.summary.durationMs;
      return json;
    };
    assert.deepEqual(strip(three.stdout), strip(one.stdout));
    const found = strip(one.stdout).findings.map((f: { path: string; rule: string; range: { start: { line: number } } }) => `${f.path}:${f.range.start.line} ${f.rule}`);
    assert.deepEqual(found, [
      'svc/api.py:6 unawaited-coroutine',
      'svc/api.py:7 blocking-call-in-async',
      'web/api.ts:4 floating-promise',
      'web/api.ts:5 blocking-call-in-async',
    ]);
    assert.deepEqual(strip(one.stdout).summary.skipped.map((s: { path: string }) => s.path), ['svc/blob.py']);
  });

  it('runs on one thread unless asked, and refuses a number of threads that is none', () => {
    const dir = project();
    const auto = cli(['check', '--format', 'json'], dir, { ASYNCSENSE_DEBUG: '1' });
    assert.match(auto.stderr, /on 1 thread\n/);
    for (const bad of ['0', 'two', '-1', '1.5']) {
      const r = cli(['check', `--jobs=${bad}`], dir);
      assert.equal(r.code, 2, `--jobs=${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--jobs takes a number of threads/);
    }
  });
});

describe('cli --fix safety', function () {
  this.timeout(60_000);

  it('never writes through a symbolic link that leads out of the project, and writes atomically', () => {
    const outside = tempDir('asyncsense-outside-');
    const target = path.join(outside, 'victim.py');
    const original = 'import time\n\n\nasync def f():\n    time.sleep(1)\n';
    fs.writeFileSync(target, original);
    const dir = tempDir('asyncsense-project-');
    fs.symlinkSync(target, path.join(dir, 'linked.py'));
    fs.writeFileSync(path.join(dir, 'own.py'), original);
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/asyncsense.js'), 'check', '--fix', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const out = JSON.parse(r.stdout);
    assert.equal(fs.readFileSync(target, 'utf8'), original, 'the file outside the project is untouched');
    assert.ok(out.summary.skipped.some((s: { path: string; reason: string }) => s.path === 'linked.py' && /symbolic link/.test(s.reason)));
    assert.match(fs.readFileSync(path.join(dir, 'own.py'), 'utf8'), /await asyncio\.sleep\(1\)/);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left behind');
  });
});

describe('cli edge files', function () {
  this.timeout(60_000);

  it('counts columns in UTF-16 code units after astral characters, and handles CRLF, tabs, empty files', () => {
    const dir = tmp({
      'emoji.py': 'import time\n\n\nasync def f():\n    s = "😀😀"; time.sleep(1)\n',
      'crlf.ts': "import fs from 'fs';\r\nexport async function f() {\r\n\treturn fs.readFileSync('x');\r\n}\r\n",
      'empty.py': '',
      'empty.ts': '',
    });
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    const byPath = Object.fromEntries(out.findings.map((f: { path: string; range: unknown }) => [f.path, f.range]));
    // `    s = "😀😀"; ` is 4 + 5 + 2 * 2 (surrogate pairs) + 3 = 16 code units: the call starts at column 17.
    assert.deepEqual(byPath['emoji.py'], { start: { line: 5, column: 17 }, end: { line: 5, column: 30 } });
    assert.deepEqual(byPath['crlf.ts'], { start: { line: 3, column: 9 }, end: { line: 3, column: 29 } });
    assert.equal(out.summary.files, 4);
  });

  it('skips a 10 MB file above the default limit and analyses a large file the limit allows', () => {
    const code = (n: number) => Array.from({ length: n }, (_, i) => `value_${i} = ${i}\n`).join('');
    const head = 'import time\n\n\nasync def f():\n    time.sleep(1)\n';
    const dir = tmp({ 'big.py': head + code(600_000), 'asyncsense.json': '{}' });
    const skipped = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.match(skipped.summary.skipped[0].reason, /over 5 MB/);
    fs.writeFileSync(path.join(dir, 'big.py'), head + code(60_000));
    fs.writeFileSync(path.join(dir, 'asyncsense.json'), JSON.stringify({ 'max-file-size': '2MB' }));
    const analysed = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    assert.deepEqual(analysed.summary.skipped, []);
    assert.equal(analysed.findings.length, 1);
  });
});

describe('cli: --diff, standard input, --statistics, --exit-zero', function () {
  this.timeout(60_000);

  function cliIn(args: string[], cwd: string, input: string | Buffer) {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
  }

  const UNSAFE_ONLY = 'import asyncio\n\n\nasync def work():\n    pass\n\n\nasync def main():\n    asyncio.create_task(work())\n';

  it('--diff prints what --fix would write, writes nothing, and exits 1 only when there is something to fix', () => {
    const files = { 'a.py': SLEEPY, 'src/b.ts': SYNC_TS, 'ok.py': 'import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n' };
    const dir = tmp(files);
    const r = cli(['check', '--diff'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^--- a\/a\.py\n\+\+\+ b\/a\.py\n@@ /m);
    assert.match(r.stdout, /^--- a\/src\/b\.ts\n\+\+\+ b\/src\/b\.ts\n@@ /m);
    assert.doesNotMatch(r.stdout, /ok\.py/);
    assert.match(r.stderr, /Would apply 2 fixes in 2 files\./);
    for (const [name, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), text, `${name} was written`);

    // The diff, applied, gives what --fix writes.
    const fixedDir = tmp(files);
    assert.equal(cli(['check', '--fix'], fixedDir).code, 0);
    const patched = spawnSync('git', ['apply', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    if (patched.error) {
      // No git on the machine: apply with the diff library instead.
      const { applyPatch, parsePatch } = require('diff') as typeof import('diff');
      for (const p of parsePatch(r.stdout)) {
        const rel = p.oldFileName!.replace(/^a\//, '');
        fs.writeFileSync(path.join(dir, rel), applyPatch(fs.readFileSync(path.join(dir, rel), 'utf8'), p) as string);
      }
    } else assert.equal(patched.status, 0, patched.stderr);
    for (const name of Object.keys(files)) {
      assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), fs.readFileSync(path.join(fixedDir, name), 'utf8'), name);
    }

    // Nothing left to fix: no diff, exit 0.
    const again = cli(['check', '--diff'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /Nothing to fix\./);
  });

  it('--diff takes --unsafe-fixes, and refuses what it cannot combine with', () => {
    const dir = tmp({ 'a.py': UNSAFE_ONLY });
    const safe = cli(['check', '--diff'], dir);
    assert.equal(safe.code, 0);
    assert.equal(safe.stdout, '');
    assert.match(safe.stderr, /Nothing to fix \(1 finding would be left\)\./);
    const unsafe = cli(['check', '--diff', '--unsafe-fixes'], dir);
    assert.equal(unsafe.code, 1, unsafe.stderr);
    assert.match(unsafe.stdout, /^\+.*create_task/m);
    assert.equal(fs.readFileSync(path.join(dir, 'a.py'), 'utf8'), UNSAFE_ONLY);
    for (const args of [['--diff', '--fix'], ['--diff', '--format', 'json'], ['--diff', '--statistics'], ['--unsafe-fixes'], ['--statistics', '--format', 'sarif']]) {
      const bad = cli(['check', ...args], dir);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, /asyncsense: /);
    }
  });

  it("'-' analyses standard input as the file --stdin-filename names, with that file's configuration", () => {
    const dir = tmp({ 'quiet/pyproject.toml': '[tool.asyncsense]\nignore = ["blocking-call-in-async"]\n', 'loud/.keep': '' });
    const r = cliIn(['check', '-', '--stdin-filename', 'loud/handler.py'], dir, SLEEPY);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout.toString(), /^loud\/handler\.py:5:5: warning \[blocking-call-in-async\]/m);
    const ignored = cliIn(['check', '--stdin-filename', 'quiet/handler.py'], dir, SLEEPY);
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stdout.toString(), /No findings in 1 file\./);
    const ts = cliIn(['check', '-', '--stdin-filename', 'src/load.ts', '--format', 'json'], dir, SYNC_TS);
    assert.equal(ts.code, 1, ts.stderr);
    assert.deepEqual(JSON.parse(ts.stdout.toString()).findings.map((f: { path: string; rule: string }) => [f.path, f.rule]), [['src/load.ts', 'blocking-call-in-async']]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['loud', 'quiet'], 'nothing is written');
  });

  it('--fix on standard input prints the fixed text (BOM and all) and reports the rest on stderr', () => {
    const dir = tmp({});
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SLEEPY + '\n\nasync def main():\n    asyncio.create_task(handler())\n')]);
    const r = cliIn(['check', '-', '--fix', '--stdin-filename', 'app.py'], dir, bom);
    assert.equal(r.code, 1, r.stderr);
    const out: Buffer = r.stdout;
    assert.deepEqual([...out.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = out.subarray(3).toString('utf8');
    assert.match(text, /^import asyncio\nimport time\n/);
    assert.match(text, /await asyncio\.sleep\(1\)/);
    assert.match(r.stderr, /app\.py:\d+:\d+: warning \[dangling-task\]/);
    assert.match(r.stderr, /Applied 1 fix in 1 file\./);
    assert.deepEqual(fs.readdirSync(dir), []);

    // Input it cannot analyse comes back byte for byte.
    const latin1 = Buffer.from('# caf\xe9\nimport time\n', 'latin1');
    const skipped = cliIn(['check', '-', '--fix', '--stdin-filename', 'old.py'], dir, latin1);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.deepEqual(skipped.stdout, latin1);
    assert.match(skipped.stderr, /skipped old\.py: not valid UTF-8/);
  });

  it('refuses standard input without a name, mixed with paths, or of no analysed language', () => {
    const dir = tmp({ 'a.py': SLEEPY });
    for (const args of [['-'], ['-', 'a.py', '--stdin-filename', 'x.py'], ['a.py', '--stdin-filename', 'x.py'], ['-', '--stdin-filename', 'notes.txt']]) {
      const r = cliIn(['check', ...args], dir, SLEEPY);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /asyncsense: .*(stdin|standard input|no analyser)/, r.stderr);
    }
  });

  it('--statistics counts findings per rule, most first, with what a fix removes', () => {
    const dir = tmp({ 'a.py': SLEEPY + '\n\nasync def other():\n    time.sleep(2)\n', 'b.py': UNSAFE_ONLY });
    const r = cli(['check', '--statistics'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      '2  blocking-call-in-async  2 fixable [*]',
      '1  dangling-task           1 with --unsafe-fixes',
      '3 findings in 2 files.',
    ]);
    assert.equal(cli(['check', '--statistics', '-q'], dir).stdout.trimEnd().split('\n').length, 2);
  });

  it('--force-exclude leaves out named files and folders that .gitignore or the excludes leave out of a walk', () => {
    const dir = tmp({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'gen/\n',
      'pyproject.toml': '[tool.asyncsense]\nexclude = ["legacy_*.py"]\n',
      'gen/deep/a.py': SLEEPY,
      'src/legacy_b.py': SLEEPY,
      'src/c.py': SLEEPY,
    });
    const named = ['gen/deep/a.py', 'src/legacy_b.py', 'src/c.py'];
    const files = (r: { stdout: string }) => JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path);
    assert.deepEqual(files(cli(['check', '--format', 'json', ...named], dir)), ['gen/deep/a.py', 'src/c.py', 'src/legacy_b.py']);
    assert.deepEqual(files(cli(['check', '--format', 'json', '--force-exclude', ...named], dir)), ['src/c.py']);
    const folder = cli(['check', '--force-exclude', 'gen'], dir);
    assert.equal(folder.code, 0, folder.stderr);
    assert.match(folder.stdout, /No findings in 0 files\./);
    // Excluded standard input: nothing analysed, and --fix gives it back as it came.
    const piped = cliIn(['check', '-', '--fix', '--force-exclude', '--stdin-filename', 'gen/deep/a.py'], dir, SLEEPY);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout.toString(), SLEEPY);
    assert.match(piped.stderr, /No findings in 0 files\./);
    const kept = cliIn(['check', '-', '--fix', '--force-exclude', '--stdin-filename', 'src/c.py'], dir, SLEEPY);
    assert.match(kept.stdout.toString(), /await asyncio\.sleep\(1\)/);
  });

  it('--exit-zero exits 0 with findings, and still 2 on errors', () => {
    const dir = tmp({ 'a.py': SLEEPY });
    const r = cli(['check', '--exit-zero'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /blocking-call-in-async/);
    assert.equal(cli(['check', '--exit-zero', 'missing.py'], dir).code, 2);
    assert.equal(cli(['check', '--diff', '--exit-zero'], dir).code, 0);
  });
});
