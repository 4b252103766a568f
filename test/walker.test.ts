/** The CLI's file walker: .gitignore files, configuration excludes, symlinks, explicit paths. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigResolver } from '../server/src/engine/config';
import { walkFiles, type WalkResult } from '../server/src/engine/walker';
import { allRules } from '../server/src/rules';
import { tempDir } from './helpers/temp';

const EXTENSIONS = ['.py', '.pyi', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const RULE_IDS = new Set(allRules.map((r) => r.id));

/** A temp folder with the given files (`null` content: an empty folder). */
function tree(files: Record<string, string | null>): string {
  const dir = fs.realpathSync(tempDir('asyncsense-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (content === null) {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

function walk(cwd: string, paths: string[] = [], configFile?: string): WalkResult {
  const resolver = new ConfigResolver(RULE_IDS, cwd, configFile);
  return walkFiles(paths, { cwd, extensions: EXTENSIONS, resolver });
}

function rel(cwd: string, result: WalkResult): string[] {
  return result.files.map((f) => path.relative(cwd, f).split(path.sep).join('/'));
}

describe('walker', () => {
  it('walks folders recursively, keeps supported extensions only, sorted', () => {
    const dir = tree({
      'b.py': '',
      'a/z.ts': '',
      'a/y.tsx': '',
      'a/readme.md': '',
      'c/d/e.mjs': '',
      'c/d/f.cjs': '',
      'c/d/g.pyi': '',
      'UPPER.PY': '',
      'empty': null,
    });
    const result = walk(dir);
    assert.deepEqual(rel(dir, result), ['UPPER.PY', 'a/y.tsx', 'a/z.ts', 'b.py', 'c/d/e.mjs', 'c/d/f.cjs', 'c/d/g.pyi']);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.missing, []);
    assert.deepEqual(walk(dir), result, 'deterministic');
  });

  it('honours root and nested .gitignore files, with negation', () => {
    const dir = tree({
      '.gitignore': '# generated\n*.gen.py\n!keep.gen.py\nsecret*.py\nbuild/\n/top_only.py\n',
      'a.py': '',
      'x.gen.py': '',
      'keep.gen.py': '',
      'secret.py': '',
      'build/out.py': '',
      'top_only.py': '',
      'pkg/top_only.py': '',
      'pkg/.gitignore': 'local.py\n!secret_ok.py\n',
      'pkg/local.py': '',
      'pkg/secret_ok.py': '',
      'pkg/secret_no.py': '',
      'pkg/sub/local.py': '',
      'pkg/sub/x.gen.py': '',
      'other/local.py': '',
    });
    assert.deepEqual(rel(dir, walk(dir)), ['a.py', 'keep.gen.py', 'other/local.py', 'pkg/secret_ok.py', 'pkg/top_only.py']);
  });

  it('cannot re-include a file whose folder is ignored (git semantics)', () => {
    const dir = tree({ '.gitignore': 'vendor/\n!vendor/keep.py\n', 'vendor/keep.py': '', 'vendor/other.py': '', 'a.py': '' });
    assert.deepEqual(rel(dir, walk(dir)), ['a.py']);
  });

  it('applies .gitignore files above the walked folder up to the repository root, and .git/info/exclude', () => {
    const dir = tree({
      '.git/info/exclude': 'private.py\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.skip.py\n/sub/anchored.py\n',
      'sub/a.py': '',
      'sub/b.skip.py': '',
      'sub/anchored.py': '',
      'sub/private.py': '',
      'sub/deeper/anchored.py': '',
    });
    const sub = path.join(dir, 'sub');
    assert.deepEqual(rel(sub, walk(sub)), ['a.py', 'deeper/anchored.py']);
    // Also when walked from the repository root, and .git itself is never walked.
    assert.deepEqual(rel(dir, walk(dir)), ['sub/a.py', 'sub/deeper/anchored.py']);
  });

  it('ignores .gitignore files above the folder when it is not in a repository', () => {
    const outer = tree({ '.gitignore': '*.py\n', 'inner/a.py': '' });
    const inner = path.join(outer, 'inner');
    assert.deepEqual(rel(inner, walk(inner)), ['a.py']);
  });

  it('applies the default excludes and the configuration excludes relative to its folder', () => {
    const dir = tree({
      'asyncsense.json': JSON.stringify({ 'extend-exclude': ['legacy/', 'src/gen/', '**/*_pb2.py'] }),
      'src/app.py': '',
      'src/gen/x.py': '',
      'src/legacy/y.py': '',
      'legacy/z.py': '',
      'api/foo_pb2.py': '',
      'node_modules/pkg/index.js': '',
      'web/node_modules/pkg/index.js': '',
      '.venv/lib/site.py': '',
      '__pycache__/m.py': '',
      'dist/bundle.js': '',
      'web/app.ts': '',
    });
    assert.deepEqual(rel(dir, walk(dir)), ['src/app.py', 'web/app.ts']);
  });

  it('replaces the default excludes with exclude, and a nested configuration applies below its folder', () => {
    const dir = tree({
      'pyproject.toml': '[tool.asyncsense]\nexclude = ["skipme.py"]\n',
      'dist/bundle.js': '',
      'skipme.py': '',
      'inner/pyproject.toml': '[tool.asyncsense]\nexclude = ["other.py"]\n',
      'inner/skipme.py': '',
      'inner/other.py': '',
    });
    assert.deepEqual(rel(dir, walk(dir)), ['dist/bundle.js', 'inner/skipme.py']);
  });

  it('uses an explicit configuration file for every folder', () => {
    const dir = tree({
      'strict.json': JSON.stringify({ exclude: ['*.ts'] }),
      'asyncsense.json': JSON.stringify({ exclude: ['*.py'] }),
      'a.py': '',
      'b.ts': '',
      'sub/asyncsense.json': JSON.stringify({ exclude: ['*.py'] }),
      'sub/c.py': '',
      'sub/d.ts': '',
    });
    assert.deepEqual(rel(dir, walk(dir, [], path.join(dir, 'strict.json'))), ['a.py', 'sub/c.py']);
  });

  it('analyses a file named explicitly even when ignored or excluded, unless unsupported', () => {
    const dir = tree({
      '.gitignore': 'ignored.py\n',
      'ignored.py': '',
      'node_modules/pkg/index.js': '',
      'notes.txt': '',
    });
    const result = walk(dir, ['ignored.py', 'node_modules/pkg/index.js', 'notes.txt']);
    assert.deepEqual(rel(dir, result), ['ignored.py', 'node_modules/pkg/index.js']);
    assert.deepEqual(result.skipped, [{ path: 'notes.txt', reason: 'not a Python, TypeScript or JavaScript file' }]);
  });

  it('walks a folder named explicitly even when ignored, keeping name patterns inside it', () => {
    const dir = tree({
      '.git/HEAD': '',
      '.gitignore': 'build/\n*.tmp.py\n/x/\n',
      'build/a.py': '',
      'build/b.tmp.py': '',
      'build/x/c.py': '',
      'build/node_modules/d.js': '',
      'build/.gitignore': 'e.py\n',
      'build/e.py': '',
    });
    const build = path.join(dir, 'build');
    // `/x/` is anchored to the repository root: it does not name build/x.
    assert.deepEqual(rel(build, walk(build)), ['a.py', 'x/c.py']);
    assert.deepEqual(rel(dir, walk(dir, ['build'])), ['build/a.py', 'build/x/c.py']);
    // A default-excluded folder named explicitly.
    const nm = tree({ 'node_modules/pkg/index.js': '', 'node_modules/pkg/node_modules/dep/i.js': '' });
    assert.deepEqual(rel(nm, walk(nm, ['node_modules/pkg'])), ['node_modules/pkg/index.js']);
  });

  it('reports missing paths separately and de-duplicates overlapping ones', () => {
    const dir = tree({ 'a.py': '', 'sub/b.py': '' });
    const result = walk(dir, ['nope.py', '.', 'sub', 'sub/b.py']);
    assert.deepEqual(rel(dir, result), ['a.py', 'sub/b.py']);
    assert.deepEqual(result.missing, ['nope.py']);
  });

  it('never follows symbolic links to folders (no loops), follows links to files, reports broken ones', function () {
    const dir = tree({ 'a/real.py': '', 'target.py': '' });
    try {
      fs.symlinkSync('..', path.join(dir, 'a/loop'), 'dir');
      fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'alias'), 'dir');
      fs.symlinkSync(path.join(dir, 'target.py'), path.join(dir, 'a/link.py'), 'file');
      fs.symlinkSync(path.join(dir, 'gone.py'), path.join(dir, 'a/broken.py'), 'file');
    } catch {
      this.skip(); // no symlink permission (Windows)
    }
    const result = walk(dir);
    assert.deepEqual(rel(dir, result), ['a/link.py', 'a/real.py', 'target.py']);
    assert.deepEqual(result.skipped, [{ path: 'a/broken.py', reason: 'broken symbolic link' }]);
    // A link named explicitly is followed.
    assert.deepEqual(rel(dir, walk(dir, ['alias'])), ['alias/link.py', 'alias/real.py']);
  });

  it('reports an unreadable folder as skipped instead of failing', function () {
    if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // root reads everything
    const dir = tree({ 'a.py': '', 'locked/b.py': '' });
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      const result = walk(dir);
      assert.deepEqual(rel(dir, result), ['a.py']);
      assert.equal(result.skipped.length, 1);
      assert.equal(result.skipped[0].path, 'locked');
      assert.match(result.skipped[0].reason, /cannot read folder: permission denied/);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
