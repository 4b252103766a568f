/**
 * Successive versions of one Python file: what is kept from one analysis to the next (the tree
 * for incremental parsing, the summaries of unchanged definitions) never hides a change.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Engine } from '../server/src/engine/engine';
import { allRulesConfig, testEngine } from './helpers/engine';

let engine: Engine;
let dir: string;

before(async () => {
  engine = await testEngine();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncsense-edits-'));
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

  it('sees a module function defined under a type-checking guard only', () => {
    fs.writeFileSync(path.join(dir, 'tasks.py'), 'async def work():\n    pass\n');
    const file = path.join(dir, 'user.py');
    const guarded = (guard: string) => `${guard}\n    from tasks import work\n\nasync def run():\n    work()\n`;
    const [runtime, typing] = unawaited(file, [guarded('if True:'), guarded('if TYPE_CHECKING:')]);
    assert.equal(runtime.length, 1);
    assert.deepEqual(typing, []);
  });
});
