import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleDoc, withRuleTable } from '../server/src/docs/generate';
import { allRules } from '../server/src/rules';
import { repoRoot } from './helpers/engine';

describe('generated docs', () => {
  for (const rule of allRules) {
    it(`docs/rules/${rule.id}.md is up to date (npm run docs)`, () => {
      const file = path.join(repoRoot, 'docs/rules', `${rule.id}.md`);
      assert.ok(fs.existsSync(file), `${file} is missing: run npm run docs`);
      assert.equal(fs.readFileSync(file, 'utf8'), renderRuleDoc(rule));
    });
  }

  it('the README rule table is up to date (npm run docs)', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    assert.equal(readme, withRuleTable(readme, allRules));
  });

  it('no doc page for a rule that does not exist', () => {
    const ids = new Set(allRules.map((r) => `${r.id}.md`));
    for (const name of fs.readdirSync(path.join(repoRoot, 'docs/rules'))) assert.ok(ids.has(name), `stale page ${name}`);
  });

  it('every rule has complete metadata and docs with a bad and a fixed example', () => {
    const seen = new Set<string>();
    for (const rule of allRules) {
      assert.match(rule.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `${rule.id}: kebab-case id`);
      assert.ok(!seen.has(rule.id), `duplicate id ${rule.id}`);
      seen.add(rule.id);
      assert.ok(rule.docs.summary && rule.docs.what && rule.docs.why, `${rule.id}: docs`);
      for (const lang of rule.languages) {
        assert.ok(rule.docs.examples.some((e) => e.language === lang), `${rule.id}: an example for ${lang}`);
      }
      for (const ex of rule.docs.examples) assert.notEqual(ex.bad.trim(), ex.good.trim(), `${rule.id}: example must change`);
    }
  });
});
