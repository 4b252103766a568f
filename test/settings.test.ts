/** Editor settings over the real LSP protocol: read per document, applied live without a restart. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEditorSettings, normalizeSettings, ruleMatches } from '../server/src/editorSettings';
import { defaultConfig } from '../server/src/engine/config';
import { apply, editsOf, startServer, type Client } from './helpers/lspClient';
import { tempDir } from './helpers/temp';

const PY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';
const TS = "import * as fs from 'node:fs';\nexport async function f(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n";

describe('editor settings (unit)', () => {
  it('validates settings and keeps defaults for wrong values', () => {
    const { settings, problems } = normalizeSettings({
      enable: 'yes',
      run: 'onSave',
      rules: { customizations: [{ rule: 'blocking-*', severity: 'error' }, { rule: 'x', severity: 'loud' }] },
      codeActionsOnSave: { exclude: ['unused-suppression'] },
      maxFileSize: -1,
    });
    assert.equal(settings.enable, true);
    assert.equal(settings.run, 'onSave');
    assert.deepEqual(settings.rulesCustomizations, [{ rule: 'blocking-*', severity: 'error' }]);
    assert.deepEqual(settings.codeActionsOnSaveExclude, ['unused-suppression']);
    assert.equal(problems.length, 3);
  });

  it('combines with the configuration files by preference', () => {
    assert.ok(ruleMatches('unawaited-*', 'unawaited-coroutine'));
    assert.ok(!ruleMatches('unawaited-*', 'dangling-task'));
    const file = { ...defaultConfig('/p'), source: '/p/asyncsense.json', severity: { 'blocking-call-in-async': 'info' as const } };
    const { settings } = normalizeSettings({ rules: { customizations: [{ rule: '*', severity: 'error' }] } });
    const ids = ['blocking-call-in-async', 'dangling-task'];
    assert.equal(applyEditorSettings(file, defaultConfig('/p'), settings, ids).severity['blocking-call-in-async'], 'error');
    const fsFirst = { ...settings, configurationPreference: 'filesystemFirst' as const };
    const r = applyEditorSettings(file, defaultConfig('/p'), fsFirst, ids);
    assert.equal(r.severity['blocking-call-in-async'], 'info');
    assert.equal(r.severity['dangling-task'], 'error');
    const editorOnly = { ...normalizeSettings({}).settings, configurationPreference: 'editorOnly' as const };
    assert.deepEqual(applyEditorSettings(file, defaultConfig('/p'), editorOnly, ids).severity, {});
  });
});

describe('editor settings over LSP', function () {
  this.timeout(60_000);
  let client: Client;
  let workspace: string;

  before(async () => {
    workspace = tempDir('asyncsense-settings-');
    client = startServer();
    await client.initialize(workspace);
  });

  after(async () => {
    await client.stop();
  });

  async function changeSettings(settings: unknown): Promise<void> {
    client.settings = settings;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  it('applies severity overrides, language switches and enable live', async () => {
    const py = pathToFileURL(path.join(workspace, 'a.py')).href;
    const ts = pathToFileURL(path.join(workspace, 'a.ts')).href;
    await client.open(py, 'python', PY);
    await client.open(ts, 'typescript', TS);
    assert.equal((await client.diagnostics(py))[0].severity, 2);

    await changeSettings({ rules: { customizations: [{ rule: 'blocking-*', severity: 'error' }] } });
    assert.equal((await client.diagnostics(py))[0].severity, 1);

    await changeSettings({ rules: { customizations: [{ rule: 'blocking-call-in-async', severity: 'off' }] } });
    assert.deepEqual(await client.diagnostics(py), []);

    await changeSettings({ python: { enable: false } });
    assert.deepEqual(await client.diagnostics(py), []);
    assert.equal((await client.diagnostics(ts)).length, 1);

    await changeSettings({ enable: false });
    assert.deepEqual(await client.diagnostics(ts), []);

    await changeSettings({});
    assert.equal((await client.diagnostics(py)).length, 1);
  });

  it('keeps excluded rules out of fix-all and can hide the disable-comment action', async () => {
    const uri = pathToFileURL(path.join(workspace, 'b.py')).href;
    await client.open(uri, 'python', PY);
    await changeSettings({ codeActionsOnSave: { exclude: ['blocking-call-in-async'] }, codeAction: { disableRuleComment: { enable: false } } });
    const diags = await client.diagnostics(uri);
    const [fixAll] = await client.codeActions(uri, [], ['source.fixAll.asyncsense']);
    assert.equal(apply(PY, editsOf(fixAll.edit, uri)), PY, 'nothing fixed on save');
    const quick = await client.codeActions(uri, diags, ['quickfix']);
    assert.ok(quick.some((a) => a.isPreferred), 'the quick fix itself is still offered');
    assert.ok(!quick.some((a) => a.title.startsWith('Disable')));
    await changeSettings({});
  });

  it('offers "Show documentation" with the rule id, and "Revalidate All" rereads the configuration', async () => {
    const uri = pathToFileURL(path.join(workspace, 'd.py')).href;
    await client.open(uri, 'python', PY);
    const diags = await client.diagnostics(uri);
    const docAction = (await client.codeActions(uri, diags, ['quickfix'])).find((a) => a.title === 'Show documentation for blocking-call-in-async');
    assert.deepEqual(docAction?.command, { title: 'Show documentation for blocking-call-in-async', command: 'asyncsense.showDocumentation', arguments: ['blocking-call-in-async'] });
    // A configuration change the editor did not report: only a revalidation picks it up.
    fs.writeFileSync(path.join(workspace, 'asyncsense.json'), JSON.stringify({ severity: { 'blocking-call-in-async': 'hint' } }));
    assert.equal((await client.diagnostics(uri))[0].severity, 2);
    await client.connection.sendNotification('asyncsense/revalidate');
    assert.equal((await client.diagnostics(uri))[0].severity, 4);
    fs.rmSync(path.join(workspace, 'asyncsense.json'));
    await client.connection.sendNotification('asyncsense/revalidate');
    await changeSettings({ codeAction: { showDocumentation: { enable: false } } });
    assert.ok(!(await client.codeActions(uri, await client.diagnostics(uri), ['quickfix'])).some((a) => a.title.startsWith('Show documentation')));
    await changeSettings({});
  });

  it('run: onSave keeps the last result until the document is saved', async () => {
    const uri = pathToFileURL(path.join(workspace, 'c.py')).href;
    await changeSettings({ run: 'onSave' });
    await client.open(uri, 'python', PY);
    assert.equal((await client.diagnostics(uri)).length, 1);
    const fixed = PY.replace('time.sleep(1)', 'pass');
    await client.change(uri, 2, fixed);
    assert.equal((await client.diagnostics(uri)).length, 1, 'not re-analysed while typing');
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    assert.deepEqual(await client.diagnostics(uri), []);
    await changeSettings({});
  });
});
