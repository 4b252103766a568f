/**
 * Mode B: the packaged .vsix installed into a fresh code-server (VS Code 1.139 workbench), driven
 * through headless Chromium like a person would: squiggles, Problems panel, light bulb, fix on
 * save, hover, pattern catalog, snippets, live settings, status item. Every wait polls with a
 * deadline; each scenario leaves a screenshot in test/e2e/artifacts/.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, EXTENSION_ID, type Started, copyExamples, freePort, httpOk, isolatedEnv, launchBrowser, readEnv, repoRoot, start, stop, waitFor, writeJson } from './harness';

const MOD = 'Control';

describe('UI scenarios (installed .vsix in code-server)', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;
  let server: Started;
  let browser: Browser;
  let page: Page;
  let shot = 0;

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `b${String(++shot).padStart(2, '0')}-${name}.png`) }).catch(() => undefined);
  }

  before(async function () {
    this.timeout(240_000);
    const env = readEnv();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncsense-e2e-b-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of fs.readdirSync(ARTIFACTS)) if (/^b\d+-.*\.png$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));
    const vsix = path.join(tmp, 'asyncsense.vsix');
    const pack = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--out', vsix], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stdout + pack.stderr);
    const procEnv = isolatedEnv(tmp);
    const extensions = path.join(tmp, 'extensions');
    const userData = path.join(tmp, 'user-data');
    const cs = path.join(env.CODE_SERVER, 'out/node/entry.js');
    const install = spawnSync(env.NODE24, [cs, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData], { env: procEnv, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    assert.ok(
      fs.readdirSync(extensions).some((d) => d.startsWith(`${EXTENSION_ID}-`)),
      `installed into ${extensions}: ${fs.readdirSync(extensions).join(', ')}`,
    );
    ws = copyExamples(path.join(tmp, 'examples'));
    fs.writeFileSync(path.join(ws, 'python-service/app/scratch.py'), '');
    // (3) Fix on save through VS Code's own code-actions-on-save.
    writeJson(path.join(ws, '.vscode/settings.json'), { 'editor.codeActionsOnSave': { 'source.fixAll.asyncsense': 'explicit' } });
    writeJson(path.join(userData, 'User/settings.json'), {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'update.mode': 'none',
      'files.autoSave': 'off',
      'editor.hover.delay': 100,
      'workbench.editor.enablePreview': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // Only AsyncSense squiggles on screen: the built-in TS checker would add its own (no @types/node here).
      'typescript.validate.enable': false,
      'javascript.validate.enable': false,
    });
    const port = await freePort();
    server = start(
      env.NODE24,
      [cs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--extensions-dir', extensions, '--user-data-dir', userData],
      procEnv,
      path.join(ARTIFACTS, 'mode-b-code-server.log'),
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => server.proc.exitCode === null && httpOk(`${base}/healthz`), 60_000, 'code-server');
    browser = await launchBrowser(env, tmp);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`FAILED-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
    await page?.keyboard.press('Escape').catch(() => undefined);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await stop(server);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  // ---- workbench helpers ---------------------------------------------------------------------

  const norm = (s: string) => s.replace(/\u00a0/g, ' ');

  async function quickInputRows(): Promise<string[]> {
    return (await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).map(norm);
  }

  async function openFile(rel: string): Promise<void> {
    const name = path.basename(rel);
    await page.keyboard.press(`${MOD}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(rel);
    // The list first shows recently opened files: wait for the filtered result on top.
    await waitFor(async () => (await input.inputValue()) === rel && (await quickInputRows())[0]?.includes(name), 15_000, `quick open to list ${rel} first`);
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await activeTab().getAttribute('aria-label')) ?? '').includes(name), 15_000, `${name} to be the active tab`);
    await focusEditor();
  }

  /** Puts the keyboard focus into the active editor (VS Code's input element varies by version: click the text). */
  async function focusEditor(): Promise<void> {
    await editor().locator('.view-lines').click({ position: { x: 5, y: 5 } });
    await waitFor(() => page.evaluate<boolean>("!!document.activeElement?.closest('.monaco-editor')"), 5_000, 'the editor to have the focus');
  }

  const activeTab = () => page.locator('.editor-group-container.active .tab.active').first();

  async function runCommand(label: string): Promise<void> {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(label);
    await waitFor(async () => (await quickInputRows()).some((r) => r.includes(label)), 15_000, `the command "${label}" in the palette`, 200);
    await page.keyboard.press('Enter');
  }

  async function goTo(line: number, column: number): Promise<void> {
    await page.keyboard.press(`${MOD}+G`);
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await page.locator('.quick-input-widget').isVisible()) === false, 5_000, 'go to line to close');
  }

  const editor = () => page.locator('.editor-group-container.active .monaco-editor').first();
  const editorText = async () => norm(await editor().locator('.view-lines').innerText());
  const squiggles = (kind: 'error' | 'warning' | 'info') => editor().locator(`.squiggly-${kind}`);

  async function problemsRows(): Promise<string[]> {
    return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map(norm);
  }

  // ---- scenarios -----------------------------------------------------------------------------

  it('(1) a Python and a TS file show AsyncSense squiggles and Problems entries with the rule id', async () => {
    await openFile('python-service/app/worker.py');
    await waitFor(async () => (await squiggles('error').count()) > 0, 60_000, 'an error squiggle in worker.py');
    await openFile('node-service/src/uploads.ts');
    await waitFor(async () => (await squiggles('warning').count()) > 0, 60_000, 'a warning squiggle in uploads.ts');
    await page.keyboard.press(`${MOD}+Shift+M`);
    const rows = await waitFor(
      async () => {
        const r = await problemsRows();
        return r.some((x) => x.includes('worker.py')) && r.some((x) => x.includes('uploads.ts')) && r.filter((x) => x.includes('blocking-call-in-async')).length >= 2 && r;
      },
      30_000,
      'Problems rows of both files with the rule id',
    );
    assert.ok(rows.some((r) => /asyncsense/i.test(r)), rows.join('\n'));
    await screenshot('squiggles-and-problems');
    await page.keyboard.press(`${MOD}+Shift+M`);
  });

  it('(2) the light bulb offers the quick fix; applying it changes the text and the finding disappears', async () => {
    await openFile('python-service/app/worker.py');
    await waitFor(async () => (await squiggles('error').count()) > 0, 30_000, 'the error squiggle');
    await goTo(18, 22);
    const bulb = page.locator('.lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix').first();
    await bulb.waitFor({ state: 'visible', timeout: 20_000 });
    await bulb.click();
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'asyncio.sleep' }).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot('light-bulb-menu');
    await item.click();
    await waitFor(async () => (await editorText()).includes('await asyncio.sleep(self.poll_interval)'), 15_000, 'the fixed text');
    await waitFor(async () => (await squiggles('error').count()) === 0, 30_000, 'the squiggle to disappear');
    await screenshot('quick-fix-applied');
  });

  it('(3) saving with codeActionsOnSave source.fixAll.asyncsense applies the safe fixes only', async () => {
    const file = path.join(ws, 'python-service/app/handlers.py');
    await openFile('python-service/app/handlers.py');
    await waitFor(async () => (await squiggles('warning').count()) >= 4, 30_000, 'the handlers.py squiggles');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('\n# saved\n');
    await page.keyboard.press(`${MOD}+S`);
    const saved = await waitFor(
      () => {
        const t = fs.readFileSync(file, 'utf8');
        return t.includes('# saved') && t;
      },
      30_000,
      'handlers.py saved',
    );
    // Safe fixes applied: the forgotten await and the swallowed cancellation.
    assert.match(saved, /\n {4}await worker\.handle\(\{"user": user_id\}\)\n {4}return \{"status": "accepted"\}\n\n\nasync def fetch_profile/);
    assert.match(saved, /except asyncio\.CancelledError:\n\s+log\.info\("consumer stopping"\)\n\s+raise/);
    // Suggestions left alone: the dangling task and the unclosed session.
    assert.match(saved, /\n {4}asyncio\.create_task\(notify\(user_id\)\)\n/);
    assert.match(saved, /\n {4}session = aiohttp\.ClientSession\(\)\n/);
    await waitFor(async () => (await squiggles('warning').count()) === 2, 30_000, 'only the two suggestion-only squiggles left', 300);
    await screenshot('fix-on-save');
  });

  it('(4) hovering a finding shows the explanation', async () => {
    await openFile('node-service/src/uploads.ts');
    const squiggle = squiggles('warning').first();
    await squiggle.waitFor({ state: 'attached', timeout: 30_000 });
    const box = await waitFor(() => squiggle.boundingBox(), 10_000, 'the squiggle on screen');
    const hover = page.locator('.monaco-hover', { hasText: 'AsyncSense' });
    await waitFor(
      async () => {
        await page.mouse.move(box.x + 3, box.y + box.height / 2);
        await page.mouse.move(box.x + 6, box.y + box.height / 2);
        return hover.first().isVisible();
      },
      20_000,
      'the AsyncSense hover',
      400,
    );
    const text = norm(await hover.first().innerText());
    assert.match(text, /blocking-call-in-async/);
    assert.match(text, /Flagged:/);
    await screenshot('hover');
    await page.mouse.move(5, 5);
  });

  it('(5) AsyncSense: Open Pattern Catalog lists patterns; choosing one inserts it with live tab stops', async function () {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    if (!manifest.contributes.commands.some((c: { command: string }) => c.command === 'asyncsense.openCatalog')) {
      console.log('    pending: asyncsense.openCatalog is not contributed yet');
      this.skip();
    }
    await openFile('python-service/app/scratch.py');
    await page.keyboard.press(`${MOD}+A`);
    await page.keyboard.press('Delete');
    await runCommand('AsyncSense: Open Pattern Catalog');
    const rows = await waitFor(async () => {
      const r = await quickInputRows();
      return r.length >= 5 && r;
    }, 20_000, 'the catalog entries');
    assert.ok(rows.some((r) => /TaskGroup|gather|timeout/i.test(r)), rows.join('\n'));
    await screenshot('catalog');
    await page.keyboard.press('Enter');
    const insert = await waitFor(async () => (await quickInputRows()).find((r) => /Insert at cursor/.test(r)), 20_000, 'the pattern actions');
    assert.ok(insert);
    await page.keyboard.press('Enter');
    await waitFor(async () => /async|await/.test(await editorText()), 20_000, 'the inserted pattern');
    // Live tab stops: snippet placeholders are decorated while the snippet session is active.
    await waitFor(async () => (await editor().locator('.snippet-placeholder, .finish-snippet-placeholder').count()) > 0, 10_000, 'snippet placeholders');
    const position = page.locator('[id="status.editor.selection"]').first();
    const before = await position.innerText();
    await page.keyboard.press('Tab');
    await waitFor(async () => (await position.innerText()) !== before, 10_000, `Tab to move to the next tab stop (from ${before})`);
    await screenshot('catalog-inserted');
    await page.keyboard.press('Escape');
    await runCommand('File: Revert File');
  });

  it('(6) typing a snippet prefix offers the snippet', async () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets/python.json'), 'utf8')) as Record<string, { prefix: string | string[] }>;
    const [title, first] = Object.entries(snippets)[0];
    const prefix = Array.isArray(first.prefix) ? first.prefix[0] : first.prefix;
    await openFile('python-service/app/scratch.py');
    await page.keyboard.press(`${MOD}+A`);
    await page.keyboard.press('Delete');
    await page.keyboard.type(prefix, { delay: 20 });
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: prefix }).first();
    await waitFor(
      async () => {
        if (await row.isVisible()) return true;
        await page.keyboard.press(`${MOD}+Space`);
        return false;
      },
      20_000,
      `the suggestion for "${prefix}"`,
      700,
    );
    await screenshot('snippet-suggestion');
    await page.keyboard.press('Enter');
    await waitFor(async () => !(await editorText()).trim().startsWith(prefix) || (await editorText()).split('\n').length > 2, 10_000, `the snippet "${title}" expanded`);
    await page.keyboard.press('Escape');
    await page.keyboard.press(`${MOD}+A`);
    await page.keyboard.press('Delete');
    await page.keyboard.press(`${MOD}+S`);
  });

  it('(7) a severity override in settings changes the squiggle without reloading', async () => {
    await openFile('node-service/src/uploads.ts');
    await waitFor(async () => (await squiggles('warning').count()) > 0, 30_000, 'the warning squiggle');
    assert.equal(await squiggles('error').count(), 0);
    const settings = path.join(ws, '.vscode/settings.json');
    const current = JSON.parse(fs.readFileSync(settings, 'utf8'));
    writeJson(settings, { ...current, 'asyncsense.rules.customizations': [{ rule: 'blocking-call-in-async', severity: 'error' }] });
    await waitFor(async () => (await squiggles('error').count()) > 0 && (await squiggles('warning').count()) === 0, 30_000, 'the squiggle turned into an error');
    await screenshot('severity-override');
  });

  it('(8) the status item shows', async () => {
    await openFile('python-service/app/retry.py');
    await waitFor(async () => (await squiggles('error').count()) > 0, 30_000, 'retry.py analysed');
    const indicator = page.locator('#status\\.languageStatus, .statusbar-item[id="status.languageStatus"]').first();
    await indicator.waitFor({ state: 'visible', timeout: 20_000 });
    const item = page.getByText(/AsyncSense: \d+ ms/).first();
    await waitFor(
      async () => {
        if (await item.isVisible()) return true;
        await indicator.click();
        return false;
      },
      20_000,
      'the language status hover with the AsyncSense item',
      1000,
    );
    const text = norm(await item.innerText());
    assert.match(text, /AsyncSense: \d+ ms/, text);
    await screenshot('status-item');
  });
});
