/**
 * Declared callables: values whose annotation says that calling them makes a coroutine, as a
 * type checker reads declarations: `cb: Callable[[Event], Awaitable[None]]`, a `Callback` alias
 * of it (`Callback = Callable[...]`, `Callback: TypeAlias = ...`, `type Callback = ...`), the
 * items of a `dict[str, list[Callback]]`, the second element of a `tuple[float, JobFn]`.
 *
 * Only annotations are read, never the values assigned: `handlers: list[Handler] = []` holds
 * handlers whatever is appended later. Unions count only when every member makes a coroutine.
 */
import type { SyntaxNode as Node } from './syntax';
import { subscriptParts } from './project';

/** How a container is read: indexed (`x[k]`, `x.get(k)`), iterated, iterated through `.values()`, or unpacked. */
export type Access = 'item' | 'iter' | 'values' | { index: number };

const CALLABLE = /^(typing\.|collections\.abc\.|t\.)?Callable$/;
const AWAITABLE_RESULT = /^(typing\.|collections\.abc\.|types\.|t\.)?(Coroutine|Awaitable|CoroutineType)$/;
const SEQUENCE = /^(typing\.|collections\.abc\.|collections\.|t\.)?(list|List|Sequence|MutableSequence|Iterable|Iterator|Collection|set|Set|MutableSet|frozenset|FrozenSet|AbstractSet|deque|Deque)$/;
const MAPPING = /^(typing\.|collections\.abc\.|collections\.|t\.)?(dict|Dict|Mapping|MutableMapping|defaultdict|DefaultDict|OrderedDict)$/;
const TUPLE = /^(typing\.|t\.)?(tuple|Tuple)$/;
const MAX_DEPTH = 6;

/** The type an annotation names once `type` wrappers, `Optional[X]`, `X | None` and `Annotated[X, ...]` are taken off. */
export function unwrapAnnotation(t: Node | null | undefined): Node | undefined {
  for (let i = 0; t && i < MAX_DEPTH; i++) {
    if (t.type === 'type') {
      t = t.namedChildren[0];
      continue;
    }
    if (t.type === 'parenthesized_expression') {
      t = t.namedChildren[0];
      continue;
    }
    const parts = t.type === 'subscript' || t.type === 'generic_type' ? subscriptParts(t) : undefined;
    const head = parts?.head?.text.replace(/\s+/g, '');
    if (head && /^(typing\.|t\.)?Optional$/.test(head) && parts!.args.length === 1) {
      t = parts!.args[0];
      continue;
    }
    if (head && /^(typing\.|typing_extensions\.|t\.)?Annotated$/.test(head) && parts!.args.length >= 1) {
      t = parts!.args[0];
      continue;
    }
    if (t.type === 'binary_operator' && t.childForFieldName('operator')?.type === '|') {
      const sides = unionMembers(t).filter((s) => s.text !== 'None');
      if (sides.length !== 1) return t;
      t = sides[0];
      continue;
    }
    return t;
  }
  return t ?? undefined;
}

/** The name a type written as a plain name, or quoted as one (`"Handler"`), may be an alias of. */
function aliasName(t: Node): string | undefined {
  if (t.type === 'identifier') return t.text;
  return t.type === 'string' ? /^["']([A-Za-z_]\w*)["']$/.exec(t.text)?.[1] : undefined;
}

/** The members of `A | B | C`. */
function unionMembers(t: Node): Node[] {
  if (t.type !== 'binary_operator' || t.childForFieldName('operator')?.type !== '|') return [t];
  const left = t.childForFieldName('left');
  const right = t.childForFieldName('right');
  return [...(left ? unionMembers(left) : []), ...(right ? [right] : [])];
}

/**
 * Reads declared types within one file. `alias(name, at)` gives the value of a type alias
 * visible at `at` (undefined when the name is not one); `importedAlias(name, at)` says what
 * calling a name imported from another module of the project as a type alias gives.
 */
export class DeclaredTypes {
  constructor(
    private readonly alias: (name: string, at: Node) => Node | undefined,
    private readonly importedAlias: (name: string, at: Node) => 'coroutine' | 'awaitable' | undefined = () => undefined,
  ) {}

  /**
   * What calling a value of this declared type gives: a coroutine (`Callable[..., Coroutine[...]]`),
   * an awaitable that may be a future (`Callable[..., Awaitable[T]]`), or nothing known.
   */
  callResult(annotation: Node | null | undefined, depth = 0): 'coroutine' | 'awaitable' | undefined {
    const t = unwrapAnnotation(annotation);
    if (!t || depth > MAX_DEPTH) return undefined;
    if (t.type === 'binary_operator') {
      const sides = unionMembers(t).filter((s) => s.text !== 'None');
      const results = sides.map((s) => this.callResult(s, depth + 1));
      if (results.length === 0 || results.some((r) => !r)) return undefined;
      return results.every((r) => r === 'coroutine') ? 'coroutine' : 'awaitable';
    }
    const name = aliasName(t);
    if (name) {
      const value = this.alias(name, t);
      if (value) return this.callResult(value, depth + 1);
      return this.importedAlias(name, t);
    }
    const parts = t.type === 'subscript' || t.type === 'generic_type' ? subscriptParts(t) : undefined;
    if (!parts?.head || !CALLABLE.test(parts.head.text.replace(/\s+/g, '')) || parts.args.length !== 2) return undefined;
    const result = unwrapAnnotation(parts.args[1]);
    const resultParts = result && (result.type === 'subscript' || result.type === 'generic_type') ? subscriptParts(result) : undefined;
    const head = (resultParts?.head ?? result)?.text.replace(/\s+/g, '');
    const kind = head ? AWAITABLE_RESULT.exec(head)?.[2] : undefined;
    return kind === undefined ? undefined : kind === 'Awaitable' ? 'awaitable' : 'coroutine';
  }

  /** The declared type of what reading a container of the declared type `annotation` gives. */
  element(annotation: Node | null | undefined, access: Access, depth = 0): Node | undefined {
    let t = unwrapAnnotation(annotation);
    for (let i = 0; t && aliasName(t) && i < MAX_DEPTH; i++) {
      const value = this.alias(aliasName(t)!, t);
      if (!value) return undefined;
      t = unwrapAnnotation(value);
    }
    if (!t || depth > MAX_DEPTH) return undefined;
    const parts = t.type === 'subscript' || t.type === 'generic_type' ? subscriptParts(t) : undefined;
    const head = parts?.head?.text.replace(/\s+/g, '');
    if (!parts || !head) return undefined;
    const args = parts.args;
    if (MAPPING.test(head) && args.length === 2) return access === 'item' || access === 'values' ? args[1] : undefined;
    if (SEQUENCE.test(head) && args.length === 1) return access === 'item' || access === 'iter' ? args[0] : undefined;
    if (TUPLE.test(head)) {
      // `tuple[Handler, ...]`: every element is a Handler.
      if (args.length === 2 && args[1].text === '...') return access === 'values' ? undefined : args[0];
      if (typeof access === 'object') return args[access.index];
      return undefined;
    }
    return undefined;
  }
}
