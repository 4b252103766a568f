/** The CLI, run as a process exactly as CI runs it. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../server/src/rules';
import { fixturesDir, repoRoot } from './helpers/engine';

const BIN = path.join(repoRoot, 'bin/asyncsense.js');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncsense-'));
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
});
