/** The pattern catalog's logic without VS Code: loading, filtering, grouping, search and preview. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type PatternEntry,
  catalogLanguageOf,
  categoriesOf,
  entryIdOfPreviewPath,
  expandSnippet,
  filterEntries,
  groupByCategory,
  parseCatalog,
  pickRows,
  previewPath,
  previewText,
  searchEntries,
} from '../client/src/catalogModel';
import { repoRoot } from './helpers/engine';

const catalog = parseCatalog(JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets/catalog.json'), 'utf8')));
const byId = (id: string): PatternEntry => {
  const e = catalog.entries.find((x) => x.id === id);
  assert.ok(e, id);
  return e;
};

describe('pattern catalog model', () => {
  it('loads every entry of the shipped catalog, and tolerates a broken file', () => {
    assert.ok(catalog.entries.length >= 70);
    assert.deepEqual(parseCatalog(undefined).entries, []);
    assert.deepEqual(parseCatalog({ entries: 'nope' }).entries, []);
    const partial = parseCatalog({ entries: [{ id: 'x', title: 'X', language: 'python', body: ['pass'] }, { id: 'bad' }] });
    assert.equal(partial.entries.length, 1);
    assert.deepEqual(partial.entries[0].rules, []);
    assert.equal(partial.entries[0].category, 'Other');
  });

  it('maps editor languages to catalog languages', () => {
    assert.equal(catalogLanguageOf('python'), 'python');
    for (const id of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact']) assert.equal(catalogLanguageOf(id), 'typescript');
    assert.equal(catalogLanguageOf('markdown'), undefined);
    assert.equal(catalogLanguageOf(undefined), undefined);
  });

  it('filters by language, by rule and to JavaScript-compatible bodies', () => {
    const python = filterEntries(catalog.entries, { language: 'python' });
    assert.ok(python.length > 0 && python.every((e) => e.language === 'python'));
    const dangling = filterEntries(catalog.entries, { ruleId: 'dangling-task' });
    assert.ok(dangling.some((e) => e.id === 'py-background-task'));
    assert.ok(dangling.every((e) => e.rules.includes('dangling-task')));
    const blockingTs = filterEntries(catalog.entries, { language: 'typescript', ruleId: 'blocking-call-in-async' });
    assert.ok(blockingTs.length > 0 && blockingTs.every((e) => e.language === 'typescript'));
    const js = filterEntries(catalog.entries, { language: 'typescript', javascriptOnly: true });
    assert.ok(js.length > 0 && js.every((e) => e.javascript));
    assert.deepEqual(filterEntries(catalog.entries, { ruleId: 'no-such-rule' }), []);
  });

  it('groups by category in catalog order, with separators in the QuickPick rows', () => {
    const python = filterEntries(catalog.entries, { language: 'python' });
    const groups = groupByCategory(python);
    assert.equal(groups[0].category, 'Concurrency');
    assert.equal(groups.reduce((n, g) => n + g.entries.length, 0), python.length);
    assert.equal(new Set(groups.map((g) => g.category)).size, groups.length, 'one group per category');
    assert.ok(categoriesOf(catalog.entries, 'python').includes('FastAPI'));
    assert.ok(categoriesOf(catalog.entries, 'typescript').includes('Events and timers'));

    const rows = pickRows(python);
    assert.equal(rows[0].kind, 'separator');
    assert.equal(rows.filter((r) => r.kind === 'separator').length, groups.length);
    const entryRow = rows.find((r) => r.entry?.id === 'py-taskgroup');
    assert.ok(entryRow);
    assert.equal(entryRow.label, 'Run coroutines concurrently with TaskGroup');
    // VS Code matches on description and detail: the prefix and the tags are in the description.
    assert.match(entryRow.description ?? '', /async-taskgroup/);
    assert.match(entryRow.description ?? '', /structured concurrency/);
    assert.match(entryRow.detail ?? '', /Python 3\.11/);
    assert.doesNotMatch(entryRow.description ?? '', /Python ·/);
    assert.match(pickRows(python, true).find((r) => r.entry)?.description ?? '', /^Python · /);
  });

  it('searches titles, tags, prefixes, descriptions and rule ids', () => {
    assert.ok(searchEntries(catalog.entries, 'token bucket').some((e) => e.id === 'py-token-bucket'));
    assert.ok(searchEntries(catalog.entries, 'SIGTERM').some((e) => e.id === 'ts-graceful-shutdown'));
    assert.ok(searchEntries(catalog.entries, 'aiohttp-session').some((e) => e.id === 'py-aiohttp-session'));
    assert.ok(searchEntries(catalog.entries, 'swallowed-cancellation').some((e) => e.id === 'py-cancel-cleanup'));
    assert.ok(searchEntries(catalog.entries, 'on_event lifespan').some((e) => e.id === 'py-fastapi-lifespan'));
    assert.deepEqual(searchEntries(catalog.entries, 'zzzz-not-there'), []);
  });

  it('renders a preview: explanation as comments, imports, then the code with defaults', () => {
    const py = previewText(byId('py-background-task'));
    const lines = py.split('\n');
    assert.equal(lines[0], '# Background task kept alive (tracked set and done callback)');
    assert.match(py, /^# Category: Concurrency · Requires: Python 3\.9 · Prefix: async-background-task$/m);
    assert.match(py, /^# Avoids: dangling-task$/m);
    assert.match(py, /^import asyncio$/m);
    assert.match(py, /^_background_tasks: set\[asyncio\.Task\[Any\]\] = set\(\)$/m);
    assert.ok(!py.includes('${'), 'no snippet syntax left');
    assert.ok(lines.every((l) => l.length <= 160), 'comments are wrapped');
    const ts = previewText(byId('ts-fetch-timeout'));
    assert.match(ts, /^\/\/ fetch with a timeout/);
    assert.match(ts, /throw new Error\(`HTTP \$\{response\.status\} for \$\{url\}`\);/);
  });

  it('preview paths round-trip and carry the language extension', () => {
    assert.equal(previewPath(byId('py-taskgroup')), '/py-taskgroup.py');
    assert.equal(previewPath(byId('ts-mutex')), '/ts-mutex.ts');
    assert.equal(entryIdOfPreviewPath('/ts-mutex.ts'), 'ts-mutex');
  });

  it('expands snippet syntax like VS Code inserts it with the defaults', () => {
    assert.equal(expandSnippet(['${1:a} = ${2|x,y|}', '\t$0${3}']), 'a = x\n    ');
    assert.equal(expandSnippet(['\\$1 \\\\ ${1:\\}}'], '  '), '$1 \\ }');
    assert.equal(expandSnippet(['$TM_FILENAME x']), ' x');
  });
});
