/**
 * Module bindings of a TS/JS file: which local names stand for which module members, through
 * `import` (default, namespace, named, aliased), `import x = require()`, and CommonJS `require`
 * (plain and destructured). Shadowing is decided by @typescript-eslint/scope-manager: a
 * reference resolves to the import only if no inner declaration captures it.
 */
import { analyze, type Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';

export interface ModuleMember {
  /** Module specifier without a `node:` prefix (`fs`, `fs/promises`, `child_process`). */
  module: string;
  /** Member path inside the module (`['readFileSync']`, `['promises', 'readFile']`, `[]` for the module). */
  path: string[];
  /** How the base name was bound. */
  binding: 'namespace' | 'default' | 'named' | 'require' | 'inline-require';
}

export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

type Node = TSESTree.Node;

export class TsImports {
  private readonly refs = new Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable | null>();
  private readonly scopeNames = new Set<string>();
  readonly usesRequire: boolean;
  readonly usesImport: boolean;

  constructor(readonly ast: TSESTree.Program) {
    let manager;
    try {
      manager = analyze(ast as never, { sourceType: 'module', lib: ['esnext'] });
    } catch {
      manager = undefined;
    }
    for (const scope of manager?.scopes ?? []) {
      for (const ref of scope.references) this.refs.set(ref.identifier as never, ref.resolved);
      for (const v of scope.variables) this.scopeNames.add(v.name);
    }
    this.usesImport = ast.body.some((s) => s.type === 'ImportDeclaration');
    this.usesRequire = this.detectRequire();
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
    const v = this.refs.get(id);
    return !v || v.defs.length === 0;
  }

  /** Whether a name is declared anywhere in the file (any scope), e.g. before adding an import. */
  isDeclared(name: string): boolean {
    return this.scopeNames.has(name);
  }

  /** Resolves an identifier / member chain to the module member it denotes, or undefined. */
  resolve(expr: Node): ModuleMember | undefined {
    const path: string[] = [];
    let base: Node = expr;
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
    if (base.type === 'CallExpression') {
      const spec = requireSpecifier(base);
      if (spec === undefined || !this.isGlobalRequire(base)) return undefined;
      return { module: normalizeModule(spec), path, binding: 'inline-require' };
    }
    if (base.type !== 'Identifier') return undefined;
    const variable = this.refs.get(base);
    if (!variable || variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    const bound = this.bindingOf(def.node as Node, def.name as TSESTree.Identifier);
    if (!bound) return undefined;
    return { module: bound.module, path: [...bound.path, ...path], binding: bound.binding };
  }

  private isGlobalRequire(call: TSESTree.CallExpression): boolean {
    const callee = call.callee;
    if (callee.type !== 'Identifier') return false;
    const v = this.refs.get(callee);
    return v === null || v === undefined || v.defs.length === 0;
  }

  private bindingOf(node: Node, name: TSESTree.Identifier): Omit<ModuleMember, never> | undefined {
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
      case 'TSImportEqualsDeclaration': {
        const ref = node.moduleReference;
        if (ref.type !== 'TSExternalModuleReference' || ref.expression.type !== 'Literal' || typeof ref.expression.value !== 'string') return undefined;
        return { module: normalizeModule(ref.expression.value), path: [], binding: 'require' };
      }
      case 'VariableDeclarator': {
        if (!node.init) return undefined;
        // Only `const` bindings: a `let`/`var` may be reassigned to anything.
        const decl = node.parent;
        if (decl?.type !== 'VariableDeclaration' || decl.kind !== 'const') return undefined;
        let init: Node = node.init;
        const prefix: string[] = [];
        while (init.type === 'MemberExpression') {
          const key = propertyName(init);
          if (key === undefined) return undefined;
          prefix.unshift(key);
          init = init.object;
        }
        if (init.type !== 'CallExpression') return undefined;
        const spec = requireSpecifier(init);
        if (spec === undefined || !this.isGlobalRequire(init)) return undefined;
        const module = normalizeModule(spec);
        if (node.id.type === 'Identifier') return { module, path: prefix, binding: 'require' };
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

  /** Import declarations of a module (either `x` or `node:x`). */
  importsOf(module: string): TSESTree.ImportDeclaration[] {
    return this.ast.body.filter(
      (s): s is TSESTree.ImportDeclaration =>
        s.type === 'ImportDeclaration' && typeof s.source?.value === 'string' && normalizeModule(s.source.value) === module && s.importKind !== 'type',
    );
  }
}

function propertyName(member: TSESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

/** `require('x')` → 'x'. */
export function requireSpecifier(node: Node): string | undefined {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require') return undefined;
  const arg = node.arguments[0];
  if (node.arguments.length !== 1 || arg.type !== 'Literal' || typeof arg.value !== 'string') return undefined;
  return arg.value;
}
