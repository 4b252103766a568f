/**
 * The pre-parse gate of the Python front end (relevance.ts, PythonProjectIndex.mayReport): a
 * module that mentions no async code and imports no project module that does is not parsed. A
 * module skipped wrongly loses its findings, so each way Python lets a module import another must
 * be read: these tests write sync modules whose only way to async code is one such import form.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PythonProjectIndex } from '../server/src/python/project';
import { importedModules } from '../server/src/python/relevance';
import { allRulesConfig, testEngine } from './helpers/engine';
import { tempDir, writeFiles } from './helpers/temp';

let dir: string;

const write = (files: Record<string, string>): void => writeFiles(dir, files);

const names = (text: string) => importedModules(text).map((m) => `${'.'.repeat(m.level)}${m.module}`);

/** A package whose only async code is in `inv/backends/warehouse.py` and (re-exported) `inv/remote.py`. */
const PROJECT: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "inv"\n',
  'inv/__init__.py': '"""Inventory."""\nfrom .remote import fetch_stock\n',
  'inv/remote.py': 'import httpx\n\nasync def fetch_stock(sku):\n    async with httpx.AsyncClient() as c:\n        return (await c.get(sku)).json()\n',
  'inv/formats/__init__.py': 'from .csvfmt import to_csv\n',
  'inv/formats/csvfmt.py': 'import csv\n\ndef to_csv(rows):\n    return ",".join(rows)\n',
  'inv/backends/__init__.py': '"""Stock backends."""\n',
  'inv/backends/local.py': 'import sqlite3\n\ndef count(db, sku):\n    return 0\n',
  'inv/backends/warehouse.py': 'import httpx\n\nasync def sync_sku(sku):\n    async with httpx.AsyncClient() as c:\n        await c.post(sku)\n',
  'inv/views/__init__.py': '',
};

beforeEach(() => {
  dir = tempDir('asyncsense-relevance-');
  write(PROJECT);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pre-parse gate: import reading', () => {
  it('reads continued, parenthesised, semicolon-separated and unspaced imports', () => {
    assert.deepEqual(names('from ..backends import local, \\\n    warehouse\n'), ['..backends', '..backends.local', '..backends.warehouse']);
    assert.deepEqual(names('from ..backends import (  # sorted (alphabetical)\n    local,\n    warehouse,\n)\n'), ['..backends', '..backends.local', '..backends.warehouse']);
    assert.deepEqual(names('import logging; from inv import remote\n'), ['logging', 'inv', 'inv.remote']);
    assert.deepEqual(names('from ..remote import(fetch)\nfrom.sub import x\nfrom .star import*\n'), ['..remote', '..remote.fetch', '.sub', '.sub.x', '.star']);
    assert.deepEqual(names('    from acme.core import (\n        remote\n    )\n'), ['acme.core', 'acme.core.remote']);
    assert.deepEqual(names('\ufefffrom .remote import fetch\r\nimport a.b, \\\r\n    c\r\n'), ['.remote', '.remote.fetch', 'a', 'a.b', 'c']);
  });

  it('reads the packages above a module named by a plain import, not by an aliased one', () => {
    assert.deepEqual(names('import inv.formats\n'), ['inv', 'inv.formats']);
    assert.deepEqual(names('import inv.formats.csvfmt as fmt, os\n'), ['inv.formats.csvfmt', 'os']);
    assert.deepEqual(names('import a.b, c.d as e\n'), ['a', 'a.b', 'c.d']);
  });
});

describe('pre-parse gate: mentions', () => {
  it('reads an import of an async library after a semicolon', () => {
    const index = new PythonProjectIndex(() => {
      throw new Error('the gate parses nothing');
    });
    const file = path.join(dir, 'bot.py');
    assert.equal(index.mayReport(file, 'import os; import telegram\n\ndef hello(bot):\n    bot.send_message(1, "hi")\n'), true);
    assert.equal(index.mayReport(file, 'import os; import json\n\ndef hello(bot):\n    bot.send_message(1, "hi")\n'), false);
  });
});

describe('pre-parse gate: modules reaching async code through an import', () => {
  const cases: [string, string][] = [
    ['backslash-continued names', 'from ..backends import local, \\\n    warehouse\n\ndef hint(sku):\n    warehouse.sync_sku(sku)\n'],
    ['a comment with parentheses on a parenthesised import', 'from ..backends import (  # keep sorted (alphabetical)\n    local,\n    warehouse,\n)\n\ndef hint(sku):\n    warehouse.sync_sku(sku)\n'],
    ['two statements on one line', 'import logging; from inv.backends import warehouse\n\ndef hint(sku):\n    warehouse.sync_sku(sku)\n'],
    ['no space before the names', 'from ..remote import(fetch_stock)\n\ndef hint(sku):\n    fetch_stock(sku)\n'],
    ['`import pkg.sub` then a name of `pkg`', 'import inv.formats\n\ndef export(items):\n    inv.fetch_stock(items[0])\n    return inv.formats.to_csv(items)\n'],
    ['an import inside a function', 'def hint(sku):\n    from inv.backends import (\n        warehouse\n    )\n    warehouse.sync_sku(sku)\n'],
  ];
  for (const [what, text] of cases) {
    it(`analyses a module through ${what}`, async () => {
      const engine = await testEngine();
      const file = path.join(dir, 'inv/views/hint.py');
      fs.writeFileSync(file, text);
      const result = engine.analyze({ filePath: file, text }, allRulesConfig(dir));
      engine.updateFile(file, undefined);
      assert.deepEqual(result.findings.map((f) => f.rule), ['unawaited-coroutine']);
    });
  }

  it('still skips a module whose imports reach no async code', () => {
    const file = path.join(dir, 'inv/views/listing.py');
    const text = 'import inv.formats.csvfmt as fmt\nfrom ..backends import local\n\ndef listing(rows):\n    return fmt.to_csv(rows)\n';
    fs.writeFileSync(file, text);
    const index = new PythonProjectIndex(() => {
      throw new Error('the gate parses nothing');
    });
    assert.equal(index.mayReport(file, text), false);
    assert.equal(index.mayReport(file, `${text}import inv.formats\n`), true, '`import inv.formats` runs `inv/__init__.py`, which imports the async remote');
  });
});
