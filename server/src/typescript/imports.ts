/**
 * Module bindings of a TS/JS file: which local names stand for which module members, through
 * `import` (default, namespace, named, aliased), `import x = require()`, and CommonJS `require`
 * (plain and destructured). Shadowing is decided by @typescript-eslint/scope-manager: a
 * reference resolves to the import only if no inner declaration captures it.
 */
import { analyze, type Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { AutoImports } from './autoImports';
import { patternNames, visit } from './util';

export interface ModuleMember {
  /** Module specifier without a `node:` prefix (`fs`, `fs/promises`, `child_process`). */
  module: string;
  /** Member path inside the module (`['readFileSync']`, `['promises', 'readFile']`, `[]` for the module). */
  path: string[];
  /** How the base name was bound. */
  binding: 'namespace' | 'default' | 'named' | 'require' | 'inline-require';
}

/** A member's path as one name, a default export's members as the module's own (`default.create` → `create`). */
export function memberName(m: ModuleMember): string {
  return m.path.join('.').replace(/^default\./, '');
}

export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

type Node = TSESTree.Node;

export class TsImports {
  /** `declared`: each declared identifier's variable. */
  private scopes: { refs: Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable | null>; names: Set<string>; declared: Map<TSESTree.Node, Variable> } | undefined;
  /** Local names an import or a `require` declaration binds, with the binding (the first one, if several). */
  private readonly bound = new Map<string, { node: Node; id: TSESTree.Identifier }>();
  /** How many declarations of each name the file has, in any scope (computed on first need). */
  private declarations: Map<string, number> | undefined;
  readonly usesRequire: boolean;
  readonly usesImport: boolean;

  /**
   * `auto`: the project's auto-imported globals (Nuxt's `onMounted`, `watch`, ...), resolved to
   * their module when no declaration of the file captures the name.
   */
  constructor(readonly ast: TSESTree.Program, private readonly auto: AutoImports = new Map()) {
    for (const stmt of ast.body) {
      if (stmt.type === 'ImportDeclaration') for (const spec of stmt.specifiers) this.bind(spec.local, spec);
      else if (stmt.type === 'TSImportEqualsDeclaration') this.bind(stmt.id, stmt);
      else if (stmt.type === 'ExportNamedDeclaration' && stmt.declaration?.type === 'TSImportEqualsDeclaration') this.bind(stmt.declaration.id, stmt.declaration);
    }
    visit(ast, (n) => {
      if (n.type !== 'VariableDeclarator' || !n.init) return;
      let init: Node = n.init;
      while (init.type === 'MemberExpression') init = init.object;
      init = interopRequire(init) ?? init;
      if (requireSpecifier(init) === undefined) return;
      if (n.id.type === 'Identifier') this.bind(n.id, n);
      else if (n.id.type === 'ObjectPattern') {
        for (const prop of n.id.properties) {
          const value = prop.type === 'Property' ? (prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value) : undefined;
          if (value?.type === 'Identifier') this.bind(value, n);
        }
      }
    });
    // Babel's lazy CommonJS output (`lazy: true`, as Jest's packages are built): a function that
    // requires the module on first call, then replaces itself with one returning it (`fs().readFileSync`).
    // Also inside the module functions of a bundle that concatenates such files.
    visit(ast, (n) => {
      if (n.type === 'FunctionDeclaration' && n.id && lazyRequireDeclarator(n)) this.bind(n.id, n);
    });
    this.usesImport = ast.body.some((s) => s.type === 'ImportDeclaration');
    this.usesRequire = this.detectRequire();
  }

  private bind(id: TSESTree.Identifier, node: Node): void {
    if (!this.bound.has(id.name)) this.bound.set(id.name, { node, id });
  }

  /**
   * References and declared names of every scope (@typescript-eslint/scope-manager), computed on
   * first need: most questions are answered from the bound names alone.
   */
  private get scope(): NonNullable<TsImports['scopes']> {
    if (this.scopes) return this.scopes;
    const refs = new Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable | null>();
    const names = new Set<string>();
    const declared = new Map<TSESTree.Node, Variable>();
    let manager;
    try {
      manager = analyze(this.ast as never, { sourceType: 'module', lib: ['esnext'] });
    } catch {
      manager = undefined;
    }
    for (const scope of manager?.scopes ?? []) {
      for (const ref of scope.references) refs.set(ref.identifier as never, ref.resolved);
      for (const v of scope.variables) {
        names.add(v.name);
        for (const id of v.identifiers) declared.set(id as TSESTree.Node, v);
      }
    }
    this.scopes = { refs, names, declared };
    return this.scopes;
  }

  private detectRequire(): boolean {
    for (const stmt of this.ast.body) {
      if (stmt.type !== 'VariableDeclaration') continue;
      for (const d of stmt.declarations) if (d.init && requireSpecifier(d.init)) return true;
    }
    return false;
  }

  /** Whether an identifier refers to a global (no declaration in this file captures it). */
  isGlobalReference(id: TSESTree.Identifier): boolean {
    const v = this.scope.refs.get(id);
    return !v || v.defs.length === 0;
  }

  /** Whether an identifier is a reference (not a property name or a key) that no declaration of the file captures. */
  private isUndeclaredReference(id: TSESTree.Identifier): boolean {
    if (!this.scope.refs.has(id)) return false;
    const v = this.scope.refs.get(id);
    return !v || v.defs.length === 0;
  }

  /** Whether a name is declared anywhere in the file (any scope), e.g. before adding an import. */
  isDeclared(name: string): boolean {
    return this.scope.names.has(name);
  }

  /** How many declarations of `name` the file has, in any scope: a name declared once cannot be shadowed. */
  declarationCount(name: string): number {
    this.declarations ??= countDeclarations(this.ast);
    return this.declarations.get(name) ?? 0;
  }

  /** Resolves an identifier / member chain to the module member it denotes, or undefined. */
  resolve(expr: Node): ModuleMember | undefined {
    const path: string[] = [];
    // `(0, fs_1.readFileSync)(p)`: how TypeScript and esbuild call a named import in CommonJS output.
    let base: Node = indirect(expr);
    for (;;) {
      if (base.type === 'MemberExpression') {
        const key = propertyName(base);
        if (key === undefined) return undefined;
        path.unshift(key);
        base = base.object;
      } else if (base.type === 'ChainExpression') {
        base = base.expression;
      } else if (base.type === 'TSNonNullExpression' || base.type === 'TSAsExpression') {
        base = base.expression;
      } else break;
    }
    // `fs()` of Babel's lazy output: the module its getter requires (see lazyRequireDeclarator).
    let lazyCall = false;
    if (base.type === 'CallExpression' && base.arguments.length === 0 && base.callee.type === 'Identifier' && this.bound.has(base.callee.name)) {
      base = base.callee;
      lazyCall = true;
    }
    if (base.type === 'CallExpression') {
      const spec = requireSpecifier(base);
      if (spec === undefined || !this.isGlobalRequire(base)) return undefined;
      return { module: normalizeModule(spec), path, binding: 'inline-require' };
    }
    if (base.type !== 'Identifier') return undefined;
    const binding = this.bound.get(base.name);
    if (!binding) {
      const auto = this.auto.get(base.name);
      if (!auto || !this.isUndeclaredReference(base)) return undefined;
      return { module: auto.module, path: [auto.name, ...path], binding: 'named' };
    }
    let def: { node: Node; name: TSESTree.Identifier };
    this.declarations ??= countDeclarations(this.ast);
    // A name declared once in the whole file cannot be shadowed: the reference is the import's.
    if (this.declarations.get(base.name) === 1) def = { node: binding.node, name: binding.id };
    else {
      const variable = this.scope.refs.get(base);
      if (!variable || variable.defs.length !== 1) return undefined;
      def = { node: variable.defs[0].node as Node, name: variable.defs[0].name as TSESTree.Identifier };
    }
    // The getter itself, not called, is no module.
    if ((def.node.type === 'FunctionDeclaration') !== lazyCall) return undefined;
    const bound = this.bindingOf(def.node, def.name);
    if (!bound) return undefined;
    // `fs_1.default.readFileSync` of `const fs_1 = __importDefault(require("fs"))`: the module's own member.
    if (bound.interop && path[0] === 'default') path.shift();
    return { module: bound.module, path: [...bound.path, ...path], binding: bound.binding };
  }

  /** A `var`/`let` whose only write is its initialiser. */
  private neverReassigned(id: TSESTree.Identifier): boolean {
    const variable = this.scope.declared.get(id);
    if (!variable || variable.defs.length !== 1) return false;
    return variable.references.every((r) => !r.isWrite() || r.init === true);
  }

  private isGlobalRequire(call: TSESTree.CallExpression): boolean {
    const callee = call.callee;
    if (callee.type !== 'Identifier') return false;
    const v = this.scope.refs.get(callee);
    return v === null || v === undefined || v.defs.length === 0;
  }

  /** `interop`: the module through an interop helper, whose `default` member is the module itself. */
  private bindingOf(node: Node, name: TSESTree.Identifier): (ModuleMember & { interop?: boolean }) | undefined {
    switch (node.type) {
      case 'ImportNamespaceSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportSpecifier': {
        // Recovered syntax (`import { a } from ;`) can lack a source.
        const source = (node.parent as TSESTree.ImportDeclaration | undefined)?.source?.value;
        if (typeof source !== 'string') return undefined;
        const module = normalizeModule(source);
        if (node.type === 'ImportNamespaceSpecifier') return { module, path: [], binding: 'namespace' };
        if (node.type === 'ImportDefaultSpecifier') return { module, path: [], binding: 'default' };
        const imported = node.imported?.type === 'Identifier' ? node.imported.name : node.imported?.value;
        if (typeof imported !== 'string') return undefined;
        if (imported === 'default') return { module, path: [], binding: 'default' };
        return { module, path: [imported], binding: 'named' };
      }
      case 'FunctionDeclaration': {
        const declarator = lazyRequireDeclarator(node);
        return declarator && declarator.id.type === 'Identifier' ? this.bindingOf(declarator, declarator.id) : undefined;
      }
      case 'TSImportEqualsDeclaration': {
        const ref = node.moduleReference;
        if (ref.type !== 'TSExternalModuleReference' || ref.expression.type !== 'Literal' || typeof ref.expression.value !== 'string') return undefined;
        return { module: normalizeModule(ref.expression.value), path: [], binding: 'require' };
      }
      case 'VariableDeclarator': {
        if (!node.init) return undefined;
        // `const` bindings, and a `var`/`let` that nothing assigns again (`var import_fs =
        // __toESM(require("fs"))` of esbuild's output): another one may be reassigned to anything.
        const decl = node.parent;
        if (decl?.type !== 'VariableDeclaration' || (decl.kind !== 'const' && !this.neverReassigned(name))) return undefined;
        let init: Node = node.init;
        const prefix: string[] = [];
        while (init.type === 'MemberExpression') {
          const key = propertyName(init);
          if (key === undefined) return undefined;
          prefix.unshift(key);
          init = init.object;
        }
        const viaInterop = interopRequire(init);
        init = viaInterop ?? init;
        if (init.type !== 'CallExpression') return undefined;
        const spec = requireSpecifier(init);
        if (spec === undefined || !this.isGlobalRequire(init)) return undefined;
        const module = normalizeModule(spec);
        if (node.id.type === 'Identifier') return { module, path: prefix, binding: 'require', interop: !!viaInterop && prefix.length === 0 };
        if (node.id.type === 'ObjectPattern') {
          for (const prop of node.id.properties) {
            if (prop.type !== 'Property') continue;
            const value = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
            if (value.type === 'Identifier' && value.range[0] === name.range[0]) {
              const key = prop.key.type === 'Identifier' && !prop.computed ? prop.key.name : prop.key.type === 'Literal' ? String(prop.key.value) : undefined;
              if (key === undefined) return undefined;
              return { module, path: [...prefix, key], binding: 'named' };
            }
          }
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * Whether the file uses a module: imports it, or names one of its auto-imported members (a Nuxt
   * composable calling `onMounted` with no import).
   */
  usesModule(module: string): boolean {
    if (this.importsOf(module).length > 0) return true;
    if (this.auto.size === 0) return false;
    let used = false;
    visit(this.ast, (n) => {
      if (!used && n.type === 'Identifier' && this.auto.get(n.name)?.module === module && this.isUndeclaredReference(n)) used = true;
    });
    return used;
  }

  /** Import declarations of a module (either `x` or `node:x`). */
  importsOf(module: string): TSESTree.ImportDeclaration[] {
    return this.ast.body.filter(
      (s): s is TSESTree.ImportDeclaration =>
        s.type === 'ImportDeclaration' && typeof s.source?.value === 'string' && normalizeModule(s.source.value) === module && s.importKind !== 'type',
    );
  }
}

/**
 * How many times each name is declared in the file, in any scope: variables (through
 * destructuring), functions and their parameters, classes, catch parameters, imports, enums and
 * namespaces. Type-only names (interfaces, aliases, type parameters) cannot shadow a value.
 */
function countDeclarations(ast: TSESTree.Program): Map<string, number> {
  const counts = new Map<string, number>();
  const declare = (p: Node | null | undefined) => {
    for (const name of patternNames(p)) counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  visit(ast, (n) => {
    switch (n.type) {
      case 'VariableDeclarator':
        declare(n.id);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'TSDeclareFunction':
      case 'TSEmptyBodyFunctionExpression':
        declare(n.id);
        for (const p of n.params) declare(p);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        declare(n.id);
        break;
      case 'CatchClause':
        declare(n.param);
        break;
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        declare(n.local);
        break;
      case 'TSImportEqualsDeclaration':
      case 'TSEnumDeclaration':
        declare(n.id);
        break;
      case 'TSModuleDeclaration':
        if (n.id.type === 'Identifier') declare(n.id);
        break;
      default:
        break;
    }
  });
  return counts;
}

function propertyName(member: TSESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

/** `(0, x.y)` → `x.y`: the comma only drops the receiver as `this`. */
function indirect(node: Node): Node {
  return node.type === 'SequenceExpression' && node.expressions.length === 2 && node.expressions[0].type === 'Literal' && node.expressions[0].value === 0 ? node.expressions[1] : node;
}

/**
 * The `require()` inside the module interop helper of compiled code: TypeScript's
 * `__importDefault(require("fs"))`/`__importStar(...)` (also `tslib_1.__importDefault(...)`), esbuild's
 * `__toESM(require("fs"))`, Babel's `_interopRequireDefault(require("fs"))`. The helper gives the
 * module, or an object whose `default` is the module (`fs_1.default.readFileSync`).
 */
function interopRequire(node: Node): TSESTree.CallExpression | undefined {
  if (node.type !== 'CallExpression' || node.arguments.length === 0) return undefined;
  const callee = indirect(node.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? propertyName(callee) : undefined;
  if (!name || !/^(?:__importDefault|__importStar|__toESM|_interopRequireDefault|_interopRequireWildcard)$/.test(name)) return undefined;
  const arg = node.arguments[0];
  return requireSpecifier(arg) !== undefined ? (arg as TSESTree.CallExpression) : undefined;
}

/**
 * The `const data = require("x")` of a lazy module getter of Babel's CommonJS output:
 * `function fs() { const data = _interopRequireWildcard(require("fs")); fs = function () { return
 * data; }; return data; }`. Undefined for any other function.
 */
function lazyRequireDeclarator(fn: TSESTree.FunctionDeclaration): TSESTree.VariableDeclarator | undefined {
  const name = fn.id?.name;
  const body = fn.body?.body;
  if (!name || !body || body.length !== 3 || fn.params.length > 0 || fn.async || fn.generator) return undefined;
  const [decl, reassign, ret] = body;
  if (decl.type !== 'VariableDeclaration' || decl.kind !== 'const' || decl.declarations.length !== 1) return undefined;
  const declarator = decl.declarations[0];
  if (declarator.id.type !== 'Identifier' || !declarator.init) return undefined;
  const data = declarator.id.name;
  let init: Node = declarator.init;
  while (init.type === 'MemberExpression') init = init.object;
  if (requireSpecifier(interopRequire(init) ?? init) === undefined) return undefined;
  const returnsData = (s: Node | undefined): boolean => s?.type === 'ReturnStatement' && s.argument?.type === 'Identifier' && s.argument.name === data;
  if (!returnsData(ret) || reassign.type !== 'ExpressionStatement' || reassign.expression.type !== 'AssignmentExpression') return undefined;
  const { left, right } = reassign.expression;
  if (left.type !== 'Identifier' || left.name !== name || (right.type !== 'FunctionExpression' && right.type !== 'ArrowFunctionExpression')) return undefined;
  const returned = right.body.type === 'BlockStatement' ? right.body.body.length === 1 && returnsData(right.body.body[0]) : right.body.type === 'Identifier' && right.body.name === data;
  return returned ? declarator : undefined;
}

/** `require('x')` → 'x'. */
export function requireSpecifier(node: Node): string | undefined {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require') return undefined;
  const arg = node.arguments[0];
  if (node.arguments.length !== 1 || arg.type !== 'Literal' || typeof arg.value !== 'string') return undefined;
  return arg.value;
}
