/**
 * The pattern catalog and the snippet files generated from it: in sync with their sources,
 * valid for VS Code, syntactically valid, and practising what the rules preach (every body,
 * with its defaults filled in, analyses with zero findings with every rule on).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { expandSnippet } from '../client/src/catalogModel';
import { PythonFrontEnd } from '../server/src/python/parser';
import { allRules } from '../server/src/rules';
import { allRulesConfig, repoRoot, testEngine } from './helpers/engine';

interface Snippet {
  prefix: string;
  body: string[];
  description: string;
}

interface SourceEntry {
  id: string;
  title: string;
  category: string;
  language: 'python' | 'typescript';
  javascript?: boolean;
  prefix: string;
  requires: string;
  tags: string[];
  rules?: string[];
  description: string;
  placement?: 'function' | 'module';
  imports?: string[];
  context?: string[];
  body: string[];
}

export { expandSnippet };

/** The pitfall families: every rule of these is taught by at least one pattern. */
const PITFALL_FAMILIES = new Set(['unawaited', 'blocking', 'cancellation', 'resources']);

function readSources(): SourceEntry[] {
  const dir = path.join(repoRoot, 'snippets/catalog');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SourceEntry[]);
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? `${by}${l}` : l))
    .join('\n');

/** The module an entry is analysed as: imports, test-only context, then the body in place. */
function analysisText(e: SourceEntry, { javascript = false } = {}): string {
  const body = expandSnippet(e.body);
  const imports = (e.imports ?? []).join('\n');
  // Context stubs use TypeScript declarations: JavaScript variants are analysed without them.
  const context = javascript ? '' : (e.context ?? []).join('\n');
  const head = [imports, context].filter(Boolean).join('\n\n');
  if (e.placement === 'module') return `${head}\n\n\n${body}\n`;
  if (e.language === 'python') return `${head}\n\n\nasync def _snippet() -> None:\n${indent(body, '    ')}\n`;
  return `${head}\n\nexport async function snippet()${javascript ? '' : ': Promise<void>'} {\n${indent(body, '  ')}\n}\n`;
}

let py: PythonFrontEnd | undefined;
async function pythonSyntaxErrors(text: string): Promise<number> {
  if (!py) {
    py = new PythonFrontEnd();
    await py.init();
  }
  const tree = py.parseTree(text);
  try {
    let n = tree.rootNode.descendantsOfType('ERROR').length;
    if (tree.rootNode.hasError) n += tree.rootNode.descendantsOfType('MISSING').length + 1;
    return n;
  } finally {
    tree.delete();
  }
}

/** Syntax errors as `tsc` reports them, including TypeScript-only syntax in a .js file. */
function tsSyntaxErrors(fileName: string, text: string): string[] {
  const options: ts.CompilerOptions = { allowJs: true, noLib: true, noResolve: true, target: ts.ScriptTarget.Latest, module: ts.ModuleKind.ESNext };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName ? ts.createSourceFile(name, text, version, true) : original(name, version, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return program.getSyntacticDiagnostics(program.getSourceFile(fileName)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('pattern catalog and snippet files', () => {
  const sources = readSources();

  it('the generated snippet files and catalog are up to date (npm run snippets)', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/snippets.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr || result.stdout);
  });

  it('the catalog covers both languages with unique ids, prefixes per language, and complete entries', () => {
    const ids = new Set<string>();
    const prefixes = new Set<string>();
    for (const e of sources) {
      assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
      assert.ok(!prefixes.has(`${e.language}:${e.prefix}`), `duplicate prefix ${e.prefix}`);
      prefixes.add(`${e.language}:${e.prefix}`);
      for (const key of ['title', 'category', 'requires', 'description'] as const) assert.ok(e[key]?.trim(), `${e.id}: ${key}`);
      assert.ok(e.description.length > 80, `${e.id}: the description explains the pitfall`);
      assert.ok(e.tags.length >= 3, `${e.id}: tags`);
      assert.ok(e.body.join('\n').includes('$0'), `${e.id}: a final tab stop`);
    }
    assert.ok(sources.filter((e) => e.language === 'python').length >= 40);
    assert.ok(sources.filter((e) => e.language === 'typescript').length >= 25);
  });

  it('every linked rule exists and applies to the pattern language', () => {
    const byId = new Map(allRules.map((r) => [r.id, r]));
    for (const e of sources) {
      for (const id of e.rules ?? []) {
        const rule = byId.get(id);
        assert.ok(rule, `${e.id}: unknown rule ${id}`);
        assert.ok(rule.languages.includes(e.language), `${e.id}: ${id} does not apply to ${e.language}`);
      }
    }
  });

  it('every pitfall rule is linked by a pattern in each of its languages', () => {
    // Read at test time: rules added later must come with a pattern that avoids their pitfall.
    const pitfalls = allRules.filter((r) => PITFALL_FAMILIES.has(r.family) && r.id !== 'unused-suppression');
    assert.ok(pitfalls.length > 0);
    const missing: string[] = [];
    for (const rule of pitfalls) {
      for (const language of rule.languages) {
        if (!sources.some((e) => e.language === language && (e.rules ?? []).includes(rule.id))) missing.push(`${rule.id} (${language})`);
      }
    }
    assert.deepEqual(missing, [], 'rules without a pattern');
  });

  for (const [file, language, filter] of [
    ['snippets/python.json', 'python', (e: SourceEntry) => e.language === 'python'],
    ['snippets/typescript.json', 'typescript', (e: SourceEntry) => e.language === 'typescript'],
    ['snippets/javascript.json', 'javascript', (e: SourceEntry) => e.language === 'typescript' && e.javascript === true],
  ] as const) {
    it(`${file} is valid for VS Code (prefix, body, description; unique prefixes)`, () => {
      const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, Snippet>;
      const prefixes = new Set<string>();
      assert.equal(Object.keys(snippets).length, sources.filter(filter).length, `${language}: one snippet per pattern`);
      for (const [name, s] of Object.entries(snippets)) {
        assert.ok(typeof s.prefix === 'string' && /^[a-z][a-z0-9-]*$/.test(s.prefix), name);
        assert.ok(Array.isArray(s.body) && s.body.length > 0 && s.body.every((l) => typeof l === 'string'), name);
        assert.ok(typeof s.description === 'string' && s.description.length > 20, name);
        assert.ok(!prefixes.has(s.prefix), `duplicate prefix ${s.prefix}`);
        prefixes.add(s.prefix);
        // Unbalanced placeholders would make VS Code insert the body as plain text.
        const unescaped = s.body.join('\n').replace(/\\./g, '');
        const opened = (unescaped.match(/\$\{/g) ?? []).length;
        assert.ok(opened <= (unescaped.match(/\}/g) ?? []).length, `${name}: unbalanced placeholder`);
      }
    });
  }

  it('package.json contributes the snippet files for their languages and ships the catalog', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };
    const byLanguage = Object.fromEntries(pkg.contributes.snippets.map((s) => [s.language, s.path]));
    assert.deepEqual(byLanguage, {
      python: './snippets/python.json',
      typescript: './snippets/typescript.json',
      typescriptreact: './snippets/typescript.json',
      javascript: './snippets/javascript.json',
      javascriptreact: './snippets/javascript.json',
    });
    const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!snippets\/\*\.json$/m);
  });

  for (const e of sources) {
    it(`${e.language} pattern ${e.id} parses and analyses clean`, async () => {
      const engine = await testEngine();
      const text = analysisText(e);
      if (e.language === 'python') assert.equal(await pythonSyntaxErrors(text), 0, `syntax errors in\n${text}`);
      else assert.deepEqual(tsSyntaxErrors('/virtual/snippet.ts', text), [], text);
      const filePath = path.join(repoRoot, `snippet-${e.id}.${e.language === 'python' ? 'py' : 'ts'}`);
      const result = engine.analyze({ filePath, text }, allRulesConfig(repoRoot));
      assert.deepEqual(result.ruleErrors ?? [], [], text);
      assert.deepEqual(
        result.findings.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${f.message}`),
        [],
        text,
      );
    });

    if (e.javascript) {
      it(`javascript variant of ${e.id} is plain JavaScript and analyses clean`, async () => {
        const engine = await testEngine();
        const text = analysisText(e, { javascript: true });
        assert.deepEqual(tsSyntaxErrors('/virtual/snippet.mjs', text), [], text);
        const result = engine.analyze({ filePath: path.join(repoRoot, `snippet-${e.id}.mjs`), text }, allRulesConfig(repoRoot));
        assert.deepEqual(result.findings.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${f.message}`), [], text);
      });
    }
  }

  it('expandSnippet resolves placeholders, choices, escapes and nesting', () => {
    assert.equal(expandSnippet(['a ${1:b ${2:c}} $3 ${4|x,y|} \\$5 ${6:{"k": 1\\}}$0']), 'a b c  x $5 {"k": 1}');
    assert.equal(expandSnippet(['if x:', '\t${1:pass}']), 'if x:\n    pass');
  });
});
