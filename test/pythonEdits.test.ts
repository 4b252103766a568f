/**
 * Successive versions of one Python file: what is kept from one analysis to the next (the tree
 * for incremental parsing, the summaries of unchanged definitions) never hides a change.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Engine } from '../server/src/engine/engine';
import { PythonFrontEnd } from '../server/src/python/parser';
import { allRulesConfig, fixturesDir, incrementalAndFresh, testEngine } from './helpers/engine';
import { shape } from './helpers/pythonTrees';
import { tempDir } from './helpers/temp';

let engine: Engine;
let frontEnd: PythonFrontEnd;
let dir: string;

before(async () => {
  engine = await testEngine();
  frontEnd = new PythonFrontEnd();
  await frontEnd.init();
  dir = tempDir('asyncsense-edits-');
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Unawaited-coroutine messages of each version, analysed in turn under one path. */
function unawaited(file: string, versions: string[]): string[][] {
  const config = allRulesConfig(dir);
  const out = versions.map((text) =>
    engine
      .analyze({ filePath: file, text }, config)
      .findings.filter((f) => f.rule === 'unawaited-coroutine')
      .map((f) => `${f.range.start.line}: ${f.message}`),
  );
  engine.updateFile(file, undefined);
  return out;
}

const repository = (flush: string, decorator = '') => [
  'class Repository:',
  '    def __init__(self):',
  '        self.items = []',
  '',
  `    ${decorator}${flush} flush(self):`,
  '        self.items.clear()',
  '',
  '    async def save(self, item):',
  '        self.items.append(item)',
  '        self.flush()',
  '',
].join('\n');

describe('python analyses of successive versions of a file', () => {
  it('sees a method become a coroutine function, and back', () => {
    const file = path.join(dir, 'methods.py');
    const [before, asyncVersion, decorated, back] = unawaited(file, [
      repository('def'),
      repository('async def'),
      repository('async def', '@some_decorator\n    '),
      repository('def'),
    ]);
    assert.deepEqual(before, []);
    assert.equal(asyncVersion.length, 1);
    assert.match(asyncVersion[0], /^9: The coroutine from self\.flush\(\)/);
    // An unknown decorator may return anything: no longer known to be a coroutine function.
    assert.deepEqual(decorated, []);
    assert.deepEqual(back, []);
  });

  it('sees a class attribute constructor change', () => {
    const file = path.join(dir, 'attributes.py');
    const text = (ctor: string) => [
      'class Client:',
      '    async def close(self):',
      '        pass',
      '',
      'class Other:',
      '    def close(self):',
      '        pass',
      '',
      'class Service:',
      '    def __init__(self):',
      `        self.client = ${ctor}()`,
      '',
      '    async def stop(self):',
      '        self.client.close()',
      '',
    ].join('\n');
    const [other, client] = unawaited(file, [text('Other'), text('Client')]);
    assert.deepEqual(other, []);
    assert.equal(client.length, 1);
    assert.match(client[0], /^13: The coroutine from self\.client\.close\(\)/);
  });

  it('takes attribute constructors from method bodies only, not from functions nested in them', () => {
    const file = path.join(dir, 'nested.py');
    const text = (nested: boolean) => [
      'class Client:',
      '    async def close(self):',
      '        pass',
      '',
      'class Service:',
      '    def __init__(self):',
      nested ? '        def later():' : '        if True:',
      '            self.client = Client()',
      '',
      '    async def stop(self):',
      '        self.client.close()',
      '',
    ].join('\n');
    const [inNested, inBody] = unawaited(file, [text(true), text(false)]);
    assert.deepEqual(inNested, []);
    assert.equal(inBody.length, 1);
    assert.match(inBody[0], /^10: The coroutine from self\.client\.close\(\)/);
  });

  it('sees an import of a project coroutine function added and removed', () => {
    fs.writeFileSync(path.join(dir, 'helpers.py'), 'async def fetch():\n    return 1\n');
    const file = path.join(dir, 'main.py');
    const main = (imports: string) => `${imports}\n\nasync def run():\n    fetch()\n`;
    const [without, withImport, removed] = unawaited(file, [main(''), main('from helpers import fetch'), main('')]);
    assert.deepEqual(without, []);
    assert.equal(withImport.length, 1);
    assert.match(withImport[0], /^3: The coroutine from fetch\(\)/);
    assert.deepEqual(removed, []);
  });

  it('finds a module created on disk once told the file appeared, and a module changed on disk at once', () => {
    const file = path.join(dir, 'consumer.py');
    const text = 'from later import job\n\nasync def run():\n    job()\n';
    const config = allRulesConfig(dir);
    const findings = () => engine.analyze({ filePath: file, text }, config).findings.filter((f) => f.rule === 'unawaited-coroutine').length;
    assert.equal(findings(), 0);
    const later = path.join(dir, 'later.py');
    fs.writeFileSync(later, 'async def job():\n    pass\n');
    // A file watcher reports the new file: the folder is looked at again.
    engine.updateFile(later, undefined);
    assert.equal(findings(), 1);
    // Changed on disk without a watcher event: the next analysis sees it (size and time differ).
    fs.writeFileSync(later, 'def job():\n    return None\n');
    fs.utimesSync(later, new Date(), new Date(Date.now() + 5000));
    assert.equal(findings(), 0);
    engine.updateFile(file, undefined);
  });

  it('sees a module function defined under a type-checking guard only', () => {
    fs.writeFileSync(path.join(dir, 'tasks.py'), 'async def work():\n    pass\n');
    const file = path.join(dir, 'user.py');
    const guarded = (guard: string) => `${guard}\n    from tasks import work\n\nasync def run():\n    work()\n`;
    const [runtime, typing] = unawaited(file, [guarded('if True:'), guarded('if TYPE_CHECKING:')]);
    assert.equal(runtime.length, 1);
    assert.deepEqual(typing, []);
  });

  it('re-parses a text changed in several places to exactly the findings of a fresh parse', function () {
    this.timeout(180_000);
    const pyFixtures = listPy(path.join(fixturesDir, 'python'));
    const texts = pyFixtures.map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
    // One long file too, so that the changes lie many lines apart.
    texts.push({ f: path.join(fixturesDir, 'python', 'all_fixtures.py'), text: longFile(texts.map((t) => t.text)) });
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      len: fc.nat({ max: 30 }),
      insert: fc.constantFrom('', '  # edit', 'await ', 'time.sleep(1)\n', '    ', '\n', 'async def f():\n    pass\n', '(', ')', '😀', '\r\n', '#', 'x = 1\n'),
    });
    fc.assert(
      // Half of the cases on the long file.
      fc.property(fc.nat({ max: 2 * texts.length - 1 }), fc.array(edit, { minLength: 2, maxLength: 4 }), (index, edits) => {
        const { f, text } = texts[Math.min(index, texts.length - 1)];
        // Apply the edits from the end so that each position refers to the original text.
        const sites = edits.map((e) => ({ ...e, i: Math.floor(e.at * text.length) })).sort((a, b) => b.i - a.i);
        let edited = text;
        let limit = text.length;
        for (const s of sites) {
          const end = Math.min(s.i + s.len, limit);
          edited = edited.slice(0, s.i) + s.insert + edited.slice(end);
          limit = s.i;
        }
        // The trees, node by node, positions included...
        frontEnd.parse(f, text).dispose();
        const incrementalTree = frontEnd.parse(f, edited);
        frontEnd.updateFile(f, undefined);
        const freshTree = frontEnd.parse(f, edited);
        frontEnd.updateFile(f, undefined);
        try {
          assert.deepEqual(shape(incrementalTree.makeContext(() => undefined).tree), shape(freshTree.makeContext(() => undefined).tree));
        } finally {
          incrementalTree.dispose();
          freshTree.dispose();
        }
        // ...and the findings.
        const { incremental, fresh } = incrementalAndFresh(engine, f, text, edited, allRulesConfig(path.dirname(f)));
        assert.deepEqual(incremental, fresh);
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });

  it('moves a comment from one line to another, as successive versions do', () => {
    const text = longFile(listPy(path.join(fixturesDir, 'python')).map((f) => fs.readFileSync(f, 'utf8')));
    const lines = text.split('\n');
    const file = path.join(fixturesDir, 'python', 'all_fixtures.py');
    const config = allRulesConfig(path.dirname(file));
    const version = (k: number) => {
      const copy = lines.slice();
      const l = (k * 37) % lines.length;
      copy[l] = `${copy[l]}  # edit ${k}`;
      return copy.join('\n');
    };
    for (let k = 1; k < 12; k++) {
      engine.analyze({ filePath: file, text: version(k - 1) }, config);
      const incremental = engine.analyze({ filePath: file, text: version(k) }, config).findings;
      engine.updateFile(file, undefined);
      const fresh = engine.analyze({ filePath: file, text: version(k) }, config).findings;
      engine.updateFile(file, undefined);
      assert.deepEqual(incremental, fresh);
    }
  });

  it('reuses the summary of a module analysed from disk only while the disk text is the analysed one', () => {
    const pkg = path.join(dir, 'scan');
    fs.mkdirSync(pkg, { recursive: true });
    const jobs = path.join(pkg, 'jobs.py');
    const main = path.join(pkg, 'main.py');
    const asyncJobs = 'async def refresh():\n    pass\n';
    const syncJobs = 'def refresh():\n    pass\n';
    const mainText = 'from jobs import refresh\n\n\ndef start():\n    refresh()\n';
    const config = allRulesConfig(pkg);
    const analyse = (file: string, text: string) => engine.analyze({ filePath: file, text }, config).findings.filter((f) => f.rule === 'unawaited-coroutine').length;
    // A scan: the module is analysed first (as on disk), then its importer.
    fs.writeFileSync(jobs, asyncJobs);
    fs.writeFileSync(main, mainText);
    analyse(jobs, asyncJobs);
    assert.equal(analyse(main, mainText), 1);
    // The module changes on disk (same size, so only its text tells): the importer sees the change.
    fs.writeFileSync(jobs, syncJobs + '      \n');
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(jobs, later, later);
    assert.equal(analyse(main, mainText), 0);
    // Analysed with a text that is not the disk's: its summary is not taken for the disk file's.
    analyse(jobs, asyncJobs);
    assert.equal(analyse(main, mainText), 0);
    engine.updateFile(jobs, undefined);
    engine.updateFile(main, undefined);
  });
});

/** Every node of a tree: type, offsets and rows/columns, in document order. */
/**
 * Fixtures joined into one long file, up to a fixed size: long enough for edits many lines apart,
 * and not growing (nor slowing the test) with every fixture added.
 */
function longFile(texts: string[], maxLines = 2_000): string {
  const parts: string[] = [];
  let lines = 0;
  for (const t of texts) {
    const n = t.split('\n').length;
    if (lines > 0 && lines + n > maxLines) continue;
    parts.push(t);
    lines += n;
  }
  return parts.join('\n');
}

function listPy(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listPy(p));
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}
