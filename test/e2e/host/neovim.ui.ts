/**
 * A second LSP client: Debian's Neovim 0.7 (vim.lsp.start_client + buf_attach_client, push
 * diagnostics) gets AsyncSense findings from `asyncsense server --stdio`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExamples, readEnv, repoRoot } from './harness';

describe('Neovim (push diagnostics over stdio)', function () {
  this.timeout(60_000);

  it('shows the findings of a Python and a TS file', function () {
    const env = readEnv();
    if (!env.NVIM) {
      console.log('    pending: nvim is not installed');
      this.skip();
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncsense-nvim-'));
    try {
      const ws = copyExamples(path.join(tmp, 'examples'));
      const out = path.join(tmp, 'diagnostics.json');
      const lua = path.join(tmp, 'check.lua');
      const files = [path.join(ws, 'python-service/app/worker.py'), path.join(ws, 'node-service/src/uploads.ts')];
      fs.writeFileSync(
        lua,
        `
-- -u NONE skips filetype detection, and the languageId sent to the server is the filetype.
vim.cmd('filetype on')
local result = {}
local client = vim.lsp.start_client({
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'bin/asyncsense.js'))}, 'server', '--stdio' },
  root_dir = ${JSON.stringify(ws)},
  name = 'asyncsense',
})
assert(client, 'start_client failed')
for _, file in ipairs(${'{' + files.map((f) => JSON.stringify(f)).join(', ') + '}'}) do
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client)
  vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(items, { line = d.lnum, source = d.source, code = code, message = d.message, severity = d.severity })
  end
  result[vim.fn.fnamemodify(file, ':t')] = items
end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.json.encode(result))
f:close()
vim.lsp.stop_client(client)
vim.cmd('qa!')
`,
      );
      const r = spawnSync(env.NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${lua}`], {
        encoding: 'utf8',
        timeout: 50_000,
        env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'cfg'), XDG_DATA_HOME: path.join(tmp, 'data'), XDG_STATE_HOME: path.join(tmp, 'state'), XDG_CACHE_HOME: path.join(tmp, 'cache') },
      });
      assert.ok(fs.existsSync(out), `no result from nvim (status ${r.status}): ${r.stdout}${r.stderr}`);
      const got = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, { line: number; source: string; code: string; message: string; severity: number }[]>;
      assert.deepEqual(got['worker.py'].map((d) => [d.code, d.line, d.source, d.severity]), [['blocking-call-in-async', 17, 'asyncsense', 1]]);
      assert.deepEqual(got['uploads.ts'].map((d) => [d.code, d.line, d.source, d.severity]), [['blocking-call-in-async', 5, 'asyncsense', 2]]);
      assert.match(got['worker.py'][0].message, /time\.sleep\(\) sleeps the whole thread/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
