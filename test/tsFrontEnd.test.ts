import { strict as assert } from 'node:assert';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TsImports } from '../server/src/typescript/imports';
import { TsFrontEnd, parseTs } from '../server/src/typescript/parser';
import { ProjectManager, isPromiseLike } from '../server/src/typescript/project';
import { visit } from '../server/src/typescript/util';
import { ConfigResolver } from '../server/src/engine/config';
import { testEngine } from './helpers/engine';
import { createEngine } from '../server/src/analyzer';
import type { Engine } from '../server/src/engine/engine';
import { tempDir } from './helpers/temp';

function calls(ast: TSESTree.Program): TSESTree.CallExpression[] {
  const out: TSESTree.CallExpression[] = [];
  visit(ast, (n) => {
    if (n.type === 'CallExpression') out.push(n);
  });
  return out;
}

/** The ESTree of a file and its type information, as the TS front end gives them to rules. */
function typed(projects: ProjectManager, file: string, text: string) {
  const ctx = new TsFrontEnd({ projects }).parse(file, text).makeContext(() => undefined);
  return { ast: ctx.ast, services: ctx.types() };
}

/** Calls an async function of './api' without awaiting it. */
const CALLS_SAVE = "import { save } from './api';\nexport function run() {\n  save();\n}\n";

/** Runs `run` on a temporary folder holding `files`, deleted afterwards. */
async function inFolder(files: Record<string, string>, run: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir('asyncsense-ts-');
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    await run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function analyse(engine: Engine, dir: string, name: string, text: string) {
  const file = path.join(dir, name);
  return engine.analyze({ filePath: file, text }, new ConfigResolver(engine.ruleIds, dir).forFile(file).config);
}

describe('typescript front end', () => {
  it('parses past syntax errors', () => {
    const parsed = parseTs('a.ts', 'async function a() { f(); }\nfunction broken() { const x = ; }\nasync function b() { g(); }\n');
    assert.ok(parsed.syntaxErrors > 0);
    assert.deepEqual(
      parsed.ast.body.map((s) => (s.type === 'FunctionDeclaration' ? s.id?.name : s.type)),
      ['a', 'broken', 'b'],
    );
  });

  it('leaves declaration files out of the rules (their declarations still type the files that import them)', async () => {
    await inFolder({ 'api.d.ts': 'export declare function save(): Promise<void>;\n', 'main.ts': CALLS_SAVE }, async (dir) => {
      const engine = await testEngine();
      const declarations = analyse(engine, dir, 'api.d.ts', 'declare function f(): Promise<void>;\nf();\n');
      assert.deepEqual(declarations.findings, []);
      const main = analyse(engine, dir, 'main.ts', CALLS_SAVE);
      assert.deepEqual(main.findings.map((f) => f.rule), ['floating-promise']);
    });
  });

  it('whether a callee can reject is judged again when a file it depends on changes', async () => {
    // main.ts calls save() (api.ts), which hands off to finish() (lib.ts); only lib.ts changes.
    const api = "import { finish } from './lib';\nexport function save(): Promise<void> {\n  return finish();\n}\n";
    const guarded = 'export async function finish(): Promise<void> {\n  try {\n    await fetch("/x");\n  } catch (err) {\n    console.error(err);\n  }\n}\n';
    const rethrows = guarded.replace('console.error(err);', 'throw err;');
    await inFolder({ 'lib.ts': guarded, 'api.ts': api, 'main.ts': CALLS_SAVE }, async (dir) => {
      const engine = await createEngine();
      assert.deepEqual(analyse(engine, dir, 'main.ts', CALLS_SAVE).findings.map((f) => f.rule), []);
      engine.updateFile(path.join(dir, 'lib.ts'), rethrows);
      assert.deepEqual(analyse(engine, dir, 'main.ts', CALLS_SAVE).findings.map((f) => f.rule), ['floating-promise']);
      engine.updateFile(path.join(dir, 'lib.ts'), guarded);
      assert.deepEqual(analyse(engine, dir, 'main.ts', CALLS_SAVE).findings.map((f) => f.rule), []);
    });
  });

  it('a file deep enough to break the compiler is analysed without types, and the other files keep theirs', async () => {
    await inFolder({ 'api.ts': 'export async function save(): Promise<void> {}\n' }, async (dir) => {
      const engine = await createEngine();
      // Loose files (no tsconfig): they share one inferred project.
      const deep = analyse(engine, dir, 'deep.ts', `export const x = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`);
      assert.deepEqual(deep.ruleErrors, []);
      const main = analyse(engine, dir, 'main.ts', CALLS_SAVE);
      assert.deepEqual(main.findings.map((f) => f.rule), ['floating-promise']);
    });
  });

  it('a file of a tsconfig project too deep for the compiler leaves the other files their types', async () => {
    const files = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] } }),
      // A generated file the tsconfig includes, never analysed itself.
      'generated.ts': `export const table = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`,
      'api.ts': 'export async function save(): Promise<void> {}\n',
      'main.ts': CALLS_SAVE.replace("'./api'", "'./api.js'"),
    };
    await inFolder(files, async (dir) => {
      const engine = await createEngine();
      const result = analyse(engine, dir, 'main.ts', files['main.ts']);
      assert.deepEqual(result.findings.map((f) => f.rule), ['floating-promise']);
    });
  });

  it('resolves module members through every import form, honouring shadowing', () => {
    const src = [
      "import fs from 'fs';",
      "import * as nfs from 'node:fs';",
      "import { readFileSync as r } from 'fs';",
      "import cp = require('child_process');",
      "const z = require('zlib');",
      "const { gzipSync: gz } = require('node:zlib');",
      'fs.readFileSync(1);',
      'nfs.promises.readFile(1);',
      'r(1);',
      'cp.execSync(1);',
      'z.gzipSync(1);',
      'gz(1);',
      "require('fs').statSync(1);",
      'function f(fs: any) { fs.readFileSync(1); }',
      'other.readFileSync(1);',
    ].join('\n');
    const parsed = parseTs('a.ts', src);
    const imports = new TsImports(parsed.ast);
    const nonRequire = calls(parsed.ast).filter((c) => !(c.callee.type === 'Identifier' && c.callee.name === 'require'));
    const resolved = nonRequire.map((c) => {
      const m = imports.resolve(c.callee);
      return m ? `${m.module}:${m.path.join('.')}` : null;
    });
    assert.deepEqual(resolved, [
      'fs:readFileSync',
      'fs:promises.readFile',
      'fs:readFileSync',
      'child_process:execSync',
      'zlib:gzipSync',
      'zlib:gzipSync',
      'fs:statSync',
      null,
      null,
    ]);
  });

  it('gives type information from a tsconfig project, incrementally after an edit', () => {
    const dir = tempDir('asyncsense-ts-');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['*.ts'] }));
    fs.writeFileSync(path.join(dir, 'lib.ts'), 'export async function load(): Promise<number> { return 1; }\nexport function now(): number { return 1; }\n');
    const file = path.join(dir, 'main.ts');
    const text1 = "import { load, now } from './lib';\nload();\nnow();\n";
    fs.writeFileSync(file, text1);
    const projects = new ProjectManager();
    try {
      const p1 = typed(projects, file, text1);
      const s1 = p1.services;
      assert.ok(s1, projects.messages.join('\n'));
      const [loadCall, nowCall] = calls(p1.ast);
      assert.equal(isPromiseLike(s1, loadCall), true);
      assert.equal(isPromiseLike(s1, nowCall), false);
      // An edit in the editor: `now` is imported under the other name.
      const text2 = "import { load as now, now as load } from './lib';\nload();\nnow();\n";
      const p2 = typed(projects, file, text2);
      const s2 = p2.services!;
      const [a, b] = calls(p2.ast);
      assert.equal(isPromiseLike(s2, a), false);
      assert.equal(isPromiseLike(s2, b), true);
      // Unchanged files are shared between the two programs (no rebuild from scratch).
      assert.equal(s1.program.getSourceFile(path.join(dir, 'lib.ts')), s2.program.getSourceFile(path.join(dir, 'lib.ts')));
    } finally {
      projects.dispose();
    }
  });

  it("programs of every engine in a process share TypeScript's lib files, and only those", () => {
    const dirs = [tempDir('asyncsense-ts-'), tempDir('asyncsense-ts-')];
    const text = "export async function load(): Promise<number> { return 1; }\nload();\n";
    for (const dir of dirs) {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['*.ts'] }));
      fs.writeFileSync(path.join(dir, 'main.ts'), text);
    }
    const libOf = (program: import('typescript').Program) => program.getSourceFiles().find((f) => /[\\/]lib\.es5\.d\.ts$/.test(f.fileName));
    const first = new ProjectManager();
    const p1 = typed(first, path.join(dirs[0], 'main.ts'), text);
    const lib = libOf(p1.services!.program);
    assert.ok(lib);
    first.dispose();
    // Another engine, another project: the lib's syntax tree is the one already parsed and bound,
    // though the engine that parsed it has let its programs go.
    const second = new ProjectManager();
    const other = new ProjectManager();
    try {
      const p2 = typed(second, path.join(dirs[1], 'main.ts'), text);
      assert.equal(libOf(p2.services!.program), lib);
      assert.equal(isPromiseLike(p2.services!, calls(p2.ast)[0]), true);
      // The project's own files are each engine's own, even for the same file.
      const p3 = typed(other, path.join(dirs[1], 'main.ts'), text);
      assert.equal(libOf(p3.services!.program), lib);
      assert.notEqual(p3.services!.sourceFile, p2.services!.sourceFile);
    } finally {
      second.dispose();
      other.dispose();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the lib files of the last two compiler settings only, once no program uses them', () => {
    const dir = tempDir('asyncsense-ts-');
    const text = 'export const n: number = 1;\n';
    fs.writeFileSync(path.join(dir, 'main.ts'), text);
    /** The lib.es5.d.ts of a program for `target`, from a manager let go at once. */
    const libFor = (target: string) => {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target, lib: ['ES2015'] }, include: ['*.ts'] }));
      const projects = new ProjectManager();
      try {
        const program = typed(projects, path.join(dir, 'main.ts'), text).services!.program;
        return program.getSourceFiles().find((f) => /[\\/]lib\.es5\.d\.ts$/.test(f.fileName));
      } finally {
        projects.dispose();
      }
    };
    try {
      const first = libFor('ES2016');
      assert.ok(first);
      assert.equal(libFor('ES2016'), first);
      libFor('ES2015');
      assert.equal(libFor('ES2016'), first);
      // Two other settings since: the files were let go, and are parsed again.
      libFor('ES2015');
      libFor('ES2018');
      const again = libFor('ES2016');
      assert.ok(again);
      assert.notEqual(again, first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a tsconfig project's program holds the document's imports and the files that declare globals, not every file of the tsconfig", async () => {
    const files = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', types: [] }, exclude: ['extra.d.ts'] }),
      'api.ts': 'export async function save(): Promise<void> {}\n',
      'main.ts': "import { save } from './api';\nsave();\nping();\nwindow.boot();\nlegacy();\nextra();\n",
      'unrelated.ts': 'export async function other(): Promise<void> {}\n',
      // A script (no import or export): its declarations are global.
      'globals.ts': 'async function ping(): Promise<void> {}\n',
      // A module that augments the global scope.
      'augment.ts': 'export {};\ndeclare global {\n  interface Window {\n    boot(): Promise<void>;\n  }\n}\n',
      'legacy.d.ts': 'declare function legacy(): Promise<void>;\n',
      // A module that brings a declaration file the tsconfig leaves out into the program.
      'env.ts': '/// <reference path="./extra.d.ts" />\nexport const mode = 1;\n',
      'extra.d.ts': 'declare function extra(): Promise<void>;\n',
      // `import(` and an import in a comment make no module.
      'lazy.ts': "// import { x } from './x';\nasync function lazyLoad() { return import('./api'); }\n",
    };
    await inFolder(files, async (dir) => {
      const projects = new ProjectManager();
      try {
        const main = typed(projects, path.join(dir, 'main.ts'), files['main.ts']);
        const s = main.services;
        assert.ok(s, projects.messages.join('\n'));
        const held = (name: string) => !!s.program.getSourceFile(path.join(dir, name));
        assert.deepEqual(['api.ts', 'globals.ts', 'augment.ts', 'legacy.d.ts', 'lazy.ts', 'env.ts', 'unrelated.ts'].map(held), [true, true, true, true, true, true, false]);
        assert.deepEqual(calls(main.ast).map((c) => isPromiseLike(s, c)), [true, true, true, true, true]);
        // A file the program holds already as an import is analysed in that same program.
        const api = typed(projects, path.join(dir, 'api.ts'), files['api.ts']);
        assert.equal(api.services?.program, s.program);
        // The rest of the tsconfig is typed when it is asked for.
        const unrelated = typed(projects, path.join(dir, 'unrelated.ts'), files['unrelated.ts']);
        assert.ok(unrelated.services?.program.getSourceFile(path.join(dir, 'unrelated.ts')));
      } finally {
        projects.dispose();
      }
    });
  });

  it('a program keeps the imports of the last 32 documents asked for, and types an older one again when asked', async () => {
    const files: Record<string, string> = { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', types: [] } }) };
    for (let i = 0; i < 34; i++) {
      files[`dep${i}.ts`] = `export async function load${i}(): Promise<number> { return ${i}; }\n`;
      files[`doc${i}.ts`] = `import { load${i} } from './dep${i}';\nload${i}();\n`;
    }
    await inFolder(files, async (dir) => {
      const projects = new ProjectManager();
      try {
        let last;
        for (let i = 0; i < 34; i++) last = typed(projects, path.join(dir, `doc${i}.ts`), files[`doc${i}.ts`]).services;
        assert.ok(last);
        const held = (name: string) => !!last.program.getSourceFile(path.join(dir, name));
        assert.deepEqual(['doc0.ts', 'dep0.ts', 'doc1.ts', 'doc2.ts', 'dep2.ts', 'doc33.ts'].map(held), [false, false, false, true, true, true]);
        const again = typed(projects, path.join(dir, 'doc0.ts'), files['doc0.ts']);
        assert.ok(again.services);
        assert.deepEqual(calls(again.ast).map((c) => isPromiseLike(again.services!, c)), [true]);
      } finally {
        projects.dispose();
      }
    });
  });

  it("finds a module's importers among the tsconfig's files that its program does not hold", async () => {
    const run = [
      "declare const process: { on(event: string, fn: () => void): void };",
      'export async function run() {',
      "  process.on('SIGINT', () => undefined);",
      '}',
      '',
    ].join('\n');
    const watch = [
      "import { run } from './run.js';",
      'declare const watcher: { on(event: string, fn: () => void): void };',
      "watcher.on('change', () => void run());",
      '',
    ].join('\n');
    const files = { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] } }), 'run.ts': run, 'watch.ts': watch };
    await inFolder(files, async (dir) => {
      const engine = await createEngine();
      assert.deepEqual(analyse(engine, dir, 'run.ts', run).findings.map((f) => `${f.rule}:${f.range.start.line}`), ['timer-or-listener-leak:2']);
      // Without the importer, `run` is a start-up function that runs once.
      fs.writeFileSync(path.join(dir, 'watch.ts'), 'export {};\n');
      const other = await createEngine();
      assert.deepEqual(analyse(other, dir, 'run.ts', run).findings.map((f) => f.rule), []);
    });
  });

  it('infers types for loose JavaScript without a tsconfig', () => {
    const dir = tempDir('asyncsense-js-');
    const file = path.join(dir, 'loose.js');
    const text = "async function get() { return 1; }\nget();\nfetch('https://example.com');\nMath.max(1, 2);\n";
    fs.writeFileSync(file, text);
    const projects = new ProjectManager();
    try {
      const parsed = typed(projects, file, text);
      const services = parsed.services!;
      assert.ok(services);
      assert.deepEqual(calls(parsed.ast).map((c) => isPromiseLike(services, c)), [true, true, false]);
    } finally {
      projects.dispose();
    }
  });

  it('a broken tsconfig falls back to the inferred project with a message', () => {
    const dir = tempDir('asyncsense-tsbad-');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: './missing.json' }));
    const file = path.join(dir, 'a.ts');
    const text = 'async function f() {}\nf();\n';
    const projects = new ProjectManager();
    try {
      const parsed = typed(projects, file, text);
      const services = parsed.services;
      assert.ok(services);
      assert.ok(projects.messages.some((m) => m.includes('tsconfig.json')), projects.messages.join('\n'));
      assert.equal(isPromiseLike(services, calls(parsed.ast)[0]), true);
    } finally {
      projects.dispose();
    }
  });

  it('loose files get one inferred project per package (its nested examples included), and a package whose program was let go is typed again', async () => {
    // Eight packages without a tsconfig: more than the programs kept at once.
    const root = tempDir('asyncsense-pkgs-');
    const packages = Array.from({ length: 8 }, (_, i) => path.join(root, `p${i}`));
    try {
      for (const dir of packages) {
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir) }));
        fs.writeFileSync(path.join(dir, 'api.ts'), 'export async function save(): Promise<void> {}\n');
      }
      // A global declared in one package is a global of that package's program only.
      const boot = 'export async function boot() {\n  refreshCache();\n}\n';
      fs.writeFileSync(path.join(packages[0], 'globals.d.ts'), 'declare function refreshCache(): Promise<void>;\n');
      const engine = await createEngine();
      engine.prepareFiles([path.join(packages[0], 'globals.d.ts'), path.join(packages[0], 'boot.ts'), path.join(packages[1], 'boot.ts')]);
      const rules = (dir: string) => analyse(engine, dir, 'boot.ts', boot).findings.map((f) => f.rule);
      assert.deepEqual(rules(packages[0]), ['floating-promise']);
      assert.deepEqual(rules(packages[1]), []);
      // A package's examples with a package.json of their own run against the package around them.
      const examples = path.join(packages[0], 'examples');
      fs.mkdirSync(examples);
      fs.writeFileSync(path.join(examples, 'package.json'), JSON.stringify({ name: 'p0-examples', dependencies: { p0: '..' } }));
      assert.deepEqual(rules(examples), ['floating-promise']);
      for (const dir of packages) analyse(engine, dir, 'main.ts', CALLS_SAVE);
      // The first packages' programs were let go on the way: asked again, they are built again.
      for (const dir of packages.slice(0, 2)) assert.deepEqual(analyse(engine, dir, 'main.ts', CALLS_SAVE).findings.map((f) => f.rule), ['floating-promise']);
      assert.deepEqual(rules(packages[0]), ['floating-promise']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('in a monorepo without tsconfigs, each workspace package is a project of its own', async () => {
    const root = tempDir('asyncsense-monorepo-');
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'repo', private: true, workspaces: ['packages/*'] }));
      const a = path.join(root, 'packages', 'a');
      const b = path.join(root, 'packages', 'b');
      for (const dir of [a, b]) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir) }));
      }
      fs.writeFileSync(path.join(a, 'globals.d.ts'), 'declare function refreshCache(): Promise<void>;\n');
      const boot = 'export async function boot() {\n  refreshCache();\n}\n';
      const engine = await createEngine();
      engine.prepareFiles([path.join(a, 'globals.d.ts'), path.join(a, 'boot.ts'), path.join(b, 'boot.ts')]);
      assert.deepEqual(analyse(engine, a, 'boot.ts', boot).findings.map((f) => f.rule), ['floating-promise']);
      assert.deepEqual(analyse(engine, b, 'boot.ts', boot).findings.map((f) => f.rule), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('collects comments with their own-line flag when the file has a suppression directive', () => {
    const fe = new TsFrontEnd();
    const parsed = fe.parse('a.ts', 'const a = 1; // trailing\n  // asyncsense-ignore-next-line x\n/* block */ const b = 2;\nconst s = "// not a comment";\n');
    assert.deepEqual(
      parsed.comments.map((c) => [c.text, c.ownLine, c.range.start.line]),
      [
        ['// trailing', false, 0],
        ['// asyncsense-ignore-next-line x', true, 1],
        ['/* block */', true, 2],
      ],
    );
  });

  it('skips collecting comments in a file without any directive, yet rules can still read them', () => {
    const fe = new TsFrontEnd({ typeAware: false });
    const parsed = fe.parse('b.ts', 'const a = 1; // trailing\n/* block */\n');
    assert.deepEqual(parsed.comments, []);
    const ctx = parsed.makeContext(() => undefined);
    assert.deepEqual(
      (ctx.ast.comments ?? []).map((c) => `${c.type}:${c.value}`),
      ['Line: trailing', 'Block: block '],
    );
  });
});
