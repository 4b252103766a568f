/** The CLI run as a process, and the fixtures' `--fix` twins it must reproduce. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../server/src/rules';
import { fixturesDir, repoRoot } from './engine';

export const BIN = path.join(repoRoot, 'bin/asyncsense.js');

export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const EXPECT = /(?:#|\/\/|\/\*)\s*expect:\s*([a-z0-9\-]+(?:\s*,\s*[a-z0-9\-]+)*)/;

/** Every `NAME.ext.fixed` / `NAME.ext.unsafe-fixed` twin under test/fixtures, as [source, twin, unsafe]. */
function fixtureTwins(): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.unsafe-fixed')) out.push([p.slice(0, -'.unsafe-fixed'.length), p, true]);
      else if (e.name.endsWith('.fixed')) out.push([p.slice(0, -'.fixed'.length), p, false]);
    }
  };
  if (fs.existsSync(fixturesDir)) visit(fixturesDir);
  return out;
}

/** The rules the fixture test runs on a fixture: the default ones plus the opt-in ones it expects. */
function fixtureSelect(text: string): string {
  const expected = new Set<string>();
  for (const line of text.split(/\r\n|\n|\r/)) {
    const m = EXPECT.exec(line);
    if (m) for (const id of m[1].split(',')) expected.add(id.trim());
  }
  return allRules.filter((r) => !r.optIn || expected.has(r.id)).map((r) => r.id).join(',');
}

/**
 * `--fix` on each fixture whose path starts with `prefix` (`python/`, `typescript/`) gives its
 * twin. The twins are split by language into test files of their own, so that the two workers of
 * the test run share them.
 */
export function fixTwinTests(prefix: string): void {
  describe('--fix gives every fixture twin', () => {
    for (const [source, twin, unsafe] of fixtureTwins()) {
      const rel = path.relative(fixturesDir, source).split(path.sep).join('/');
      if (!rel.startsWith(prefix)) continue;
      it(`${rel} → ${path.basename(twin)}`, () => {
        // The whole fixture family is copied: project fixtures resolve imports across files. The
        // copy lives under the repository's out/ so typed fixtures still find @types/node.
        const family = rel.split('/').slice(0, 2).join('/');
        fs.mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
        const dir = fs.mkdtempSync(path.join(repoRoot, 'out', 'cli-fixture-'));
        fs.cpSync(path.join(fixturesDir, family), path.join(dir, family), { recursive: true });
        const text = fs.readFileSync(source, 'utf8');
        const args = ['check', '--fix', ...(unsafe ? ['--unsafe-fixes'] : []), '--select', fixtureSelect(text), '--format', 'json', rel];
        const r = cli(args, dir);
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.ok(out.summary.fixed > 0, 'no fix applied');
        assert.deepEqual(fs.readFileSync(path.join(dir, rel)), fs.readFileSync(twin), 'bytes differ from the twin');
        if (!unsafe) {
          const again = JSON.parse(cli(args, dir).stdout);
          assert.equal(again.summary.fixed, 0, 'a second --fix changed the file again');
        }
        fs.rmSync(dir, { recursive: true, force: true });
      });
    }
  });

}
