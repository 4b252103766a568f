/** The snippet files contributed to VS Code: valid, and practising what the rules preach. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRulesConfig, repoRoot, testEngine } from './helpers/engine';

interface Snippet {
  prefix: string;
  body: string[];
  description: string;
}

/** Snippet body with every tab stop replaced by its default (choices by the first choice). */
export function expandSnippet(body: readonly string[]): string {
  let text = body.join('\n').replace(/\t/g, '    ');
  for (let i = 0; i < 5; i++) {
    text = text
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '');
  }
  return text.replace(/\\\$/g, '$');
}

const PRELUDE: Record<string, string> = {
  python: 'import asyncio\nfrom collections.abc import Coroutine\nfrom typing import Any\n\nimport aiohttp\n\n\nasync def _snippet(fetch_one, fetch_two, work, cleanup, operation, blocking_function, argument, url):\n',
  typescript: "import { readFile } from 'node:fs/promises';\nimport { setTimeout } from 'node:timers/promises';\n\nexport async function snippet(url: string, signal: AbortSignal, path: string): Promise<void> {\n",
};

describe('snippet files', () => {
  for (const [language, file] of [['python', 'snippets/python.json'], ['typescript', 'snippets/typescript.json']] as const) {
    const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, Snippet>;

    it(`${file} is valid for VS Code (prefix, body, description; unique prefixes)`, () => {
      const prefixes = new Set<string>();
      for (const [name, s] of Object.entries(snippets)) {
        assert.ok(typeof s.prefix === 'string' && s.prefix.length > 0, name);
        assert.ok(Array.isArray(s.body) && s.body.every((l) => typeof l === 'string'), name);
        assert.ok(s.description.length > 20, name);
        assert.ok(!prefixes.has(s.prefix), `duplicate prefix ${s.prefix}`);
        prefixes.add(s.prefix);
      }
    });

    for (const [name, s] of Object.entries(snippets)) {
      it(`${language} snippet "${name}" analyses clean`, async () => {
        const engine = await testEngine();
        const body = expandSnippet(s.body)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n');
        const text = `${PRELUDE[language]}${body}\n${language === 'typescript' ? '}\n' : ''}`;
        const filePath = path.join(repoRoot, `snippet.${language === 'python' ? 'py' : 'ts'}`);
        const result = engine.analyze({ filePath, text }, { ...allRulesConfig(repoRoot), ignore: ['async-without-await'] });
        assert.deepEqual(result.findings.map((f) => `${f.rule}: ${f.message}`), [], text);
        assert.equal(engine.commentsOf(filePath, text) !== undefined, true);
      });
    }
  }
});
