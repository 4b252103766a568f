/**
 * Runs every fixture under test/fixtures through the engine. A line that ends with a comment
 * `expect: rule-a, rule-b` must produce exactly those findings (starting on that line); every
 * other line must produce nothing. A `NAME.ext.fixed` twin holds the text after all safe fixes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixText } from '../server/src/engine/fixes';
import { allRules } from '../server/src/rules';
import type { ResolvedConfig } from '../server/src/engine/config';
import { allRulesConfig, fixturesDir, testEngine } from './helpers/engine';

const SOURCE = /\.(py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const EXPECT = /(?:#|\/\/|\/\*)\s*expect:\s*([a-z0-9\-]+(?:\s*,\s*[a-z0-9\-]+)*)/;

function listFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFixtures(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out.sort();
}

function expectations(text: string): string[] {
  const out: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const m = EXPECT.exec(line);
    if (!m) return;
    for (const id of m[1].split(',')) out.push(`${i + 1}:${id.trim()}`);
  });
  return out.sort();
}

/** Default rules, plus the opt-in rules that the fixture expects somewhere or whose folder it is in. */
function fixtureConfig(file: string, text: string): ResolvedConfig {
  const expected = new Set(expectations(text).map((e) => e.split(':')[1]));
  const folders = file.split(path.sep);
  const optIn = allRules.filter((r) => r.optIn && (expected.has(r.id) || folders.includes(r.id))).map((r) => r.id);
  return { ...allRulesConfig(path.dirname(file)), select: null, extendSelect: optIn };
}

describe('fixtures', () => {
  const files = fs.existsSync(fixturesDir) ? listFixtures(fixturesDir) : [];

  it('exist for both languages', () => {
    assert.ok(files.some((f) => f.endsWith('.py')), 'no Python fixtures');
    assert.ok(files.some((f) => /\.[cm]?[jt]sx?$/.test(f)), 'no TS/JS fixtures');
  });

  for (const file of files) {
    const rel = path.relative(fixturesDir, file).split(path.sep).join('/');
    describe(rel, () => {
      const text = fs.readFileSync(file, 'utf8');

      it('reports exactly the expected findings', async () => {
        const engine = await testEngine();
        const result = engine.analyze({ filePath: file, text }, fixtureConfig(file, text));
        assert.equal(result.skipped, undefined, `skipped: ${result.skipped}`);
        assert.deepEqual(result.ruleErrors, []);
        const actual = result.findings.map((f) => `${f.range.start.line + 1}:${f.rule}`).sort();
        assert.deepEqual(actual, expectations(text), result.findings.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${f.message}`).join('\n'));
      });

      const fixedPath = `${file}.fixed`;
      if (fs.existsSync(fixedPath)) {
        it('safe fixes give the .fixed twin, and a second fix-all changes nothing', async () => {
          const engine = await testEngine();
          const config = fixtureConfig(file, text);
          const fixed = fixText(engine, { filePath: file, text }, config);
          assert.ok(fixed.applied > 0, 'no fix was applied');
          assert.equal(fixed.text, fs.readFileSync(fixedPath, 'utf8'));
          const again = fixText(engine, { filePath: file, text: fixed.text }, config);
          assert.equal(again.applied, 0, 'fix-all is not idempotent');
        });
      }

      const unsafePath = `${file}.unsafe-fixed`;
      if (fs.existsSync(unsafePath)) {
        it('safe fixes and suggestions together give the .unsafe-fixed twin', async () => {
          const engine = await testEngine();
          const fixed = fixText(engine, { filePath: file, text }, fixtureConfig(file, text), { unsafe: true });
          assert.ok(fixed.applied > 0, 'no fix was applied');
          assert.equal(fixed.text, fs.readFileSync(unsafePath, 'utf8'));
        });
      }
    });
  }
});
