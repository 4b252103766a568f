// Deterministic generator of realistic async Python and TypeScript projects: modules importing
// each other, classes with async methods, request handlers, and a few pitfalls per file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A small seeded PRNG (mulberry32): the same seed gives the same corpus. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pythonModule(i, count, rand) {
  const dep = i > 0 ? Math.floor(rand() * i) : null;
  const lines = [`"""Orders service, part ${i}: storage, handlers and background work."""`, 'import asyncio', 'import logging', 'import time', ''];
  if (dep !== null) lines.push(`from app.module_${dep} import fetch_${dep}, Repository${dep}`);
  lines.push('', 'log = logging.getLogger(__name__)', '', '');
  lines.push(
    `class Repository${i}:`,
    '    def __init__(self, pool):',
    '        self.pool = pool',
    '        self.cache = {}',
    '',
    '    async def load(self, key):',
    '        if key in self.cache:',
    '            return self.cache[key]',
    `        row = await self.pool.fetchrow("SELECT * FROM orders_${i} WHERE id = $1", key)`,
    '        self.cache[key] = row',
    '        return row',
    '',
    '    async def save(self, key, value):',
    `        await self.pool.execute("UPDATE orders_${i} SET value = $2 WHERE id = $1", key, value)`,
    '        self.cache.pop(key, None)',
    '',
    '    async def refresh(self, keys):',
    '        results = await asyncio.gather(*(self.load(k) for k in keys), return_exceptions=True)',
    '        return [r for r in results if not isinstance(r, Exception)]',
    '',
    '    def describe(self):',
    `        return f"Repository${i}({len(self.cache)} cached)"`,
    '',
    '',
    `async def fetch_${i}(session, url):`,
    '    async with session.get(url) as response:',
    '        response.raise_for_status()',
    '        return await response.json()',
    '',
    '',
  );
  // Handlers, with a pitfall now and then.
  for (let h = 0; h < count; h++) {
    const pitfall = rand();
    lines.push(`async def handle_${i}_${h}(request, repo: Repository${i}):`, '    key = request.match_info["id"]', '    order = await repo.load(key)');
    if (pitfall < 0.08) lines.push('    time.sleep(0.1)');
    else if (pitfall < 0.14) lines.push('    repo.save(key, order)');
    else if (pitfall < 0.2) lines.push('    asyncio.create_task(repo.refresh([key]))');
    else lines.push('    await repo.save(key, order)');
    if (dep !== null && rand() < 0.3) lines.push(`    extra = await fetch_${dep}(request.app["session"], "https://example.com/${h}")`, '    log.debug("extra %s", extra)');
    lines.push('    try:', '        await asyncio.wait_for(repo.refresh([key]), timeout=2)', '    except asyncio.TimeoutError:', '        log.warning("refresh timed out")', '    return {"id": key, "order": order}', '', '');
  }
  lines.push(`def summarize_${i}(rows):`, '    total = 0', '    for row in rows:', '        total += row["value"]', '    return total', '');
  return lines.join('\n');
}

function tsModule(i, count, rand) {
  const dep = i > 0 ? Math.floor(rand() * i) : null;
  const lines = ["import * as fs from 'node:fs';", "import { EventEmitter } from 'node:events';"];
  if (dep !== null) lines.push(`import { fetchJson${dep}, Repository${dep} } from './module_${dep}';`);
  lines.push(
    '',
    `export interface Order${i} {`,
    '  id: string;',
    '  value: number;',
    '}',
    '',
    `export async function fetchJson${i}(url: string): Promise<unknown> {`,
    '  const response = await fetch(url);',
    '  if (!response.ok) throw new Error(`HTTP ${response.status}`);',
    '  return response.json();',
    '}',
    '',
    `export class Repository${i} extends EventEmitter {`,
    `  private readonly cache = new Map<string, Order${i}>();`,
    '',
    `  async load(id: string): Promise<Order${i}> {`,
    '    const cached = this.cache.get(id);',
    '    if (cached) return cached;',
    `    const order = (await fetchJson${i}(\`/orders/\${id}\`)) as Order${i};`,
    '    this.cache.set(id, order);',
    '    return order;',
    '  }',
    '',
    `  async save(order: Order${i}): Promise<void> {`,
    "    await fetch('/orders', { method: 'POST', body: JSON.stringify(order) });",
    '    this.cache.delete(order.id);',
    "    this.emit('saved', order.id);",
    '  }',
    '}',
    '',
  );
  for (let h = 0; h < count; h++) {
    const pitfall = rand();
    lines.push(`export async function handle${i}_${h}(repo: Repository${i}, id: string): Promise<Order${i}> {`, '  const order = await repo.load(id);');
    if (pitfall < 0.08) lines.push("  const template = fs.readFileSync('template.html', 'utf8');", '  order.id += template.length;');
    else if (pitfall < 0.14) lines.push('  repo.save(order);');
    else lines.push('  await repo.save(order);');
    if (dep !== null && rand() < 0.3) lines.push(`  const extra = await fetchJson${dep}(\`/extra/\${id}\`);`, '  console.debug(extra);');
    lines.push('  return order;', '}', '');
  }
  return lines.join('\n');
}

/** Writes a project of about `lines` lines per language under `dir`; returns the file list. */
export async function generateCorpus(dir, lines, seed = 42) {
  const rand = rng(seed);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, 'py/app'), { recursive: true });
  await fs.mkdir(path.join(dir, 'ts/src'), { recursive: true });
  await fs.writeFile(path.join(dir, 'py/app/__init__.py'), '');
  await fs.writeFile(path.join(dir, 'ts/tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [] }, include: ['src'] }, null, 2));
  const files = { py: [], ts: [] };
  let pyLines = 0;
  for (let i = 0; pyLines < lines; i++) {
    const text = pythonModule(i, 6, rand);
    const file = path.join(dir, `py/app/module_${i}.py`);
    await fs.writeFile(file, text);
    files.py.push(file);
    pyLines += text.split('\n').length;
  }
  let tsLines = 0;
  for (let i = 0; tsLines < lines; i++) {
    const text = tsModule(i, 8, rand);
    const file = path.join(dir, `ts/src/module_${i}.ts`);
    await fs.writeFile(file, text);
    files.ts.push(file);
    tsLines += text.split('\n').length;
  }
  return { files, pyLines, tsLines };
}

/** One large file of about `lines` lines (for per-edit latency). */
export function bigFile(language, lines, seed = 7) {
  const rand = rng(seed);
  if (language === 'python') {
    let text = pythonModule(0, 1, rand);
    let h = 0;
    while (text.split('\n').length < lines) text += `\n${pythonModule(0, 4, rand).split('\n').slice(5).join('\n').replace(/Repository0/g, `Repository0_${h}`).replace(/handle_0_/g, `handle_${h++}_`).replace(/fetch_0/g, `fetch_${h}`).replace(/summarize_0/g, `summarize_${h}`)}`;
    return text;
  }
  let text = tsModule(0, 1, rand);
  let h = 0;
  while (text.split('\n').length < lines) text += `\n${tsModule(0, 6, rand).split('\n').slice(2).join('\n').replace(/Order0/g, `Order0_${h}`).replace(/Repository0/g, `Repository0_${h}`).replace(/fetchJson0/g, `fetchJson0_${h}`).replace(/handle0_/g, `handle${h++}_`)}`;
  return text;
}
