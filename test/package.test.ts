/**
 * The packaged extension: `scripts/package.mjs` builds a production .vsix whose entries are exactly
 * the allow-list (bundles, WASM, TypeScript lib files, snippets, docs, icon, metadata), within the
 * size budget, and whose bundled server starts on its own and reports findings over stdio.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers/engine';
import { type Client, startServer } from './helpers/lspClient';
import { type ZipEntry, readZip } from './helpers/zip';
import { tempDir } from './helpers/temp';

const BUDGET = 8 * 1024 * 1024;

/** Every shipped path (relative to the .vsix's `extension/` folder) matches one of these. */
const ALLOWED: RegExp[] = [
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^images\/icon\.png$/,
  /^client\/out\/extension\.js$/,
  /^server\/out\/(server|typescript-support)\.js$/,
  /^server\/out\/wasm\/(web-tree-sitter|tree-sitter-python)\.wasm$/,
  /^server\/out\/lib\.[a-z0-9.]+\.d\.ts$|^server\/out\/lib\.d\.ts$/,
  /^snippets\/[a-z-]+\.json$/,
  /^docs\/rules\/[a-z0-9-]+\.md$/,
  /^docs\/images\/[a-z0-9-]+\.png$/,
];

describe('packaging (.vsix)', function () {
  this.timeout(180_000);
  let tmp: string;
  let vsix: string;
  let entries: ZipEntry[];
  let files: string[];

  before(function () {
    tmp = tempDir('asyncsense-vsix-');
    vsix = path.join(tmp, 'asyncsense.vsix');
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--out', vsix], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, `package failed:\n${r.stdout}\n${r.stderr}`);
    entries = readZip(fs.readFileSync(vsix));
    files = entries.filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('ships exactly the allow-list: no sources, maps, tests or node_modules', () => {
    const outside = entries.map((e) => e.name).filter((n) => !n.startsWith('extension/'));
    assert.deepEqual(outside.sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], `files outside the allow-list: ${unexpected.join(', ')}`);
    for (const f of files) assert.doesNotMatch(f, /node_modules|\.map$|(^|\/)(src|test|out\/test)\/|\.tsx?$(?<!\.d\.ts)/, f);
  });

  it('contains everything the extension needs at run time', () => {
    const required = [
      'package.json',
      'package.nls.json',
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      'images/icon.png',
      'client/out/extension.js',
      'server/out/server.js',
      'server/out/typescript-support.js',
      'server/out/wasm/web-tree-sitter.wasm',
      'server/out/wasm/tree-sitter-python.wasm',
      'server/out/lib.d.ts',
      'server/out/lib.es5.d.ts',
      'server/out/lib.es2022.d.ts',
      ...fs.readdirSync(path.join(repoRoot, 'docs/rules')).map((f) => `docs/rules/${f}`),
    ];
    const missing = required.filter((f) => !files.includes(f));
    assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}`);
    // Whatever the manifest points at is shipped: main, icon, every contributed snippet file.
    const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')!.data().toString('utf8'));
    const referenced = [manifest.main, manifest.icon, ...(manifest.contributes?.snippets ?? []).map((s: { path: string }) => s.path)];
    for (const ref of referenced) assert.ok(files.includes(path.posix.normalize(ref)), `package.json references ${ref}, not in the .vsix`);
    assert.equal(manifest.scripts, undefined, 'the shipped manifest carries no npm scripts');
    // The extension page renders the shipped README: its relative images must ship too.
    const readme = entries.find((e) => e.name === 'extension/readme.md')!.data().toString('utf8');
    for (const [, src] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/.test(src)) assert.ok(files.includes(path.posix.normalize(src)), `README image ${src} is not in the .vsix`);
    }
  });

  it('is a production build within the size budget', () => {
    const size = fs.statSync(vsix).size;
    assert.ok(size < BUDGET, `.vsix is ${(size / 1024 / 1024).toFixed(2)} MB, over the 8 MB budget`);
    for (const bundle of ['extension/client/out/extension.js', 'extension/server/out/server.js', 'extension/server/out/typescript-support.js']) {
      const text = entries.find((e) => e.name === bundle)!.data().toString('utf8');
      // (The bundled TypeScript compiler mentions sourceMappingURL itself: look at the trailer only.)
      assert.doesNotMatch(text.slice(-200), /\/\/# sourceMappingURL=/, `${bundle} points at a source map`);
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${bundle} does not look minified (${lines} lines)`);
    }
  });

  describe('the packaged server, unzipped on its own', () => {
    let client: Client;
    let ws: string;

    before(async () => {
      const ext = path.join(tmp, 'unzipped');
      for (const e of entries) {
        const target = path.join(ext, e.name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, e.data());
      }
      ws = path.join(tmp, 'ws');
      fs.mkdirSync(ws);
      // No node_modules anywhere above the server: it must not resolve anything from the repo.
      client = startServer([path.join(ext, 'extension/server/out/server.js'), '--stdio']);
      await client.initialize(ws);
    });

    after(async () => {
      await client?.stop();
    });

    it('reports Python findings (tree-sitter WASM loads)', async () => {
      const uri = pathToFileURL(path.join(ws, 'app.py')).href;
      await client.open(uri, 'python', 'import time\n\nasync def main():\n    time.sleep(1)\n');
      const diags = await client.diagnostics(uri);
      assert.deepEqual(
        diags.map((d) => [d.code, d.range.start.line]),
        [['blocking-call-in-async', 3]],
        client.stderr,
      );
    });

    it('reports typed TypeScript findings (bundled compiler finds its lib files)', async () => {
      fs.writeFileSync(path.join(ws, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022' } }));
      const file = path.join(ws, 'main.ts');
      const text = 'async function save(): Promise<void> {}\nexport async function run(): Promise<void> {\n  save();\n}\n';
      fs.writeFileSync(file, text);
      const uri = pathToFileURL(file).href;
      await client.open(uri, 'typescript', text);
      const diags = await client.diagnostics(uri);
      assert.deepEqual(
        diags.map((d) => [d.code, d.range.start.line]),
        [['floating-promise', 2]],
        client.stderr,
      );
      assert.doesNotMatch(client.stderr, /lib\.[a-z0-9.]*d\.ts|Cannot find|ENOENT/i);
    });
  });
});
