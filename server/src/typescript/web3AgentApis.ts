/**
 * Promise APIs of MCP, agent, web3 and trading libraries recognised without their types (plain
 * JavaScript, a checkout without `node_modules`): each of these calls returns a promise.
 *
 * - the OpenAI Agents SDK: `run(agent, input)` and `withTrace(name, fn)` imported from `@openai/agents`,
 *   and `run(...)` on a `new Runner()` made in the file;
 * - `@modelcontextprotocol/sdk`: on a `Client` made in the file, its requests (`connect`, `close`,
 *   `callTool`, `listTools`, `readResource`, `getPrompt`, ...); on an `McpServer` made in the file,
 *   `connect(transport)` and `close()` (not its `tool`/`registerTool`/..., nor `sendToolListChanged()`,
 *   which return nothing), and the requests and notifications of its low-level `server`
 *   (`server.server.sendLoggingMessage(...)`, `sendResourceUpdated(...)`, `createMessage(...)`); in a handler
 *   given to it (`server.registerTool(name, config, async (args, extra) => ...)`), `extra.sendNotification(...)`
 *   and `extra.sendRequest(...)`; on a transport made in the file (`new StdioServerTransport()`,
 *   `new StreamableHTTPServerTransport(...)`, ...), `start`, `close`, `send`, `handleRequest`, ...;
 * - ccxt: on an exchange made in the file (`new ccxt.binance(...)`, `new ccxt.pro.kraken(...)`, `new binance()`
 *   imported from `ccxt`), its API calls (`fetch…`, `create…`, `cancel…`, `edit…`, `watch…`, `loadMarkets`,
 *   `close`, `transfer`, `withdraw`, ...); not its synchronous helpers (`amountToPrecision`, `market`, ...);
 * - ethers: on a `Contract` made in the file, its ABI methods (`token.approve(spender, amount)`) and its
 *   own calls (`getAddress`, `waitForDeployment`, `queryFilter`, and a method's `staticCall`/`send`/
 *   `estimateGas`/`populateTransaction`); on a provider or a `Wallet` made in the file, their requests
 *   (`getBalance`, `getBlock`, `send`, `waitForTransaction`, `sendTransaction`, `signMessage`, ...); and the
 *   `wait()` of a transaction kept from `await signer.sendTransaction(...)` or from a call of such a contract
 *   (`const tx = await token.transfer(to, amount); tx.wait();`). Not `on`/`once`/`off`, which return a
 *   promise in ethers 6 and the provider itself in ethers 5;
 * - viem: on a client made in the file (`createPublicClient(...)`, `createWalletClient(...)`), its actions
 *   (`readContract`, `writeContract`, `waitForTransactionReceipt`, ...), not its `watch…` actions, which
 *   return the function that stops them, nor `extend(...)`, also a `publicClient`/`walletClient` imported from the
 *   project's own modules; and the actions imported from `viem/actions`.
 *
 * A client "made in the file" is also one a class of the file holds (`this.exchange = new ccxt.binance()`, a field
 * `client = new Client(...)`), when that is the only value the class puts there.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { memberName } from './imports';
import { enclosingFunction, isFunction, memberPropertyName as propertyOf, unwrapTypeOnly as unwrap, visit } from './util';

type Node = TSESTree.Node;
type Made = 'runner' | 'mcp-client' | 'mcp-server' | 'mcp-low-server' | 'mcp-transport' | 'ccxt' | 'contract' | 'provider' | 'signer' | 'viem';

const MCP_CLIENT_REQUESTS = new Set([
  'connect', 'close', 'callTool', 'listTools', 'listResources', 'listResourceTemplates', 'readResource', 'subscribeResource',
  'unsubscribeResource', 'getPrompt', 'listPrompts', 'ping', 'complete', 'setLoggingLevel', 'sendRootsListChanged', 'request', 'notification',
]);
const MCP_SERVER_REQUESTS = new Set([
  'connect', 'close', 'sendLoggingMessage', 'sendResourceUpdated', 'sendResourceListChanged', 'sendToolListChanged', 'sendPromptListChanged',
  'createMessage', 'elicitInput', 'listRoots', 'ping', 'request', 'notification',
]);
const CCXT_CALL = /^(fetch|create|cancel|edit|watch|unWatch|loadMarkets$|loadTimeDifference$|close$|transfer$|withdraw$|borrow|repay|setLeverage$|setMarginMode$|setPositionMode$|addMargin$|reduceMargin$|sleep$)/;
/** Members of an ethers contract that do not call the chain. */
const CONTRACT_SYNC = new Set([
  'connect', 'attach', 'getFunction', 'getEvent', 'deploymentTransaction', 'on', 'once', 'off', 'addListener', 'removeListener',
  'removeAllListeners', 'listeners', 'listenerCount', 'emit', 'toString', 'valueOf',
]);
const CONTRACT_METHOD_FORMS = new Set(['staticCall', 'staticCallResult', 'send', 'estimateGas', 'populateTransaction']);
const PROVIDER_REQUESTS = /^(get(?!Signer$)[A-Z]\w*|send|call|estimateGas|broadcastTransaction|waitForTransaction|waitForBlock|resolveName|lookupAddress|listAccounts|detectNetwork|_detectNetwork)$/;
const SIGNER_REQUESTS = /^(sendTransaction|signMessage|signTransaction|signTypedData|getAddress|getNonce|getBalance|getTransactionCount|estimateGas|call|populateTransaction|populateCall|resolveName|encrypt)$/;
const ETHERS_PROVIDERS = /^((ethers|providers|ethers\.providers)\.)?(JsonRpcProvider|WebSocketProvider|StaticJsonRpcProvider|InfuraProvider|AlchemyProvider|EtherscanProvider|FallbackProvider|BrowserProvider|Web3Provider|AnkrProvider|CloudflareProvider|PocketProvider|QuickNodeProvider|IpcSocketProvider)$/;

/** What an initialiser makes (`new ccxt.binance()`, `new Client(...)`, `createPublicClient(...)`), if one of these. */
function madeBy(ctx: TsRuleContext, init: Node): Made | undefined {
  let e = unwrap(init);
  if (e.type === 'AwaitExpression') e = unwrap(e.argument);
  if (e.type !== 'NewExpression' && e.type !== 'CallExpression') return undefined;
  const m = ctx.imports.resolve(unwrap(e.callee));
  if (!m) return undefined;
  const p = memberName(m);
  if (e.type === 'CallExpression') return m.module === 'viem' && /^create(Public|Wallet|Test)Client$/.test(p) ? 'viem' : undefined;
  if (m.module === 'ccxt') return /^(pro\.)?[a-z][a-z0-9]*$/.test(p) && p !== 'pro' ? 'ccxt' : undefined;
  if (m.module === 'ccxt.pro') return /^[a-z][a-z0-9]*$/.test(p) ? 'ccxt' : undefined;
  if (/^@openai\/agents(-core)?$/.test(m.module)) return p === 'Runner' ? 'runner' : undefined;
  if (/^@modelcontextprotocol\/sdk\/client(\/index(\.js)?)?$/.test(m.module)) return p === 'Client' ? 'mcp-client' : undefined;
  if (/^@modelcontextprotocol\/sdk\/server\/mcp(\.js)?$/.test(m.module)) return p === 'McpServer' ? 'mcp-server' : undefined;
  if (/^@modelcontextprotocol\/sdk\/server(\/index(\.js)?)?$/.test(m.module)) return p === 'Server' ? 'mcp-low-server' : undefined;
  if (/^@modelcontextprotocol\/sdk\/(client|server)\/\w+(\.js)?$/.test(m.module) && /Transport$/.test(p)) return 'mcp-transport';
  if (m.module === 'ethers') {
    if (/^(ethers\.)?Contract$/.test(p)) return 'contract';
    if (/^(ethers\.)?Wallet$/.test(p)) return 'signer';
    if (ETHERS_PROVIDERS.test(p)) return 'provider';
  }
  return undefined;
}

const declarators = new WeakMap<TSESTree.Program, Map<string, TSESTree.VariableDeclarator[]>>();

/** The file's variable declarations of a plain name, by name (computed once per tree). */
function declaratorsOf(ast: TSESTree.Program): Map<string, TSESTree.VariableDeclarator[]> {
  let byName = declarators.get(ast);
  if (!byName) {
    byName = new Map();
    const found = byName;
    visit(ast, (n) => {
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier') return;
      const list = found.get(n.id.name);
      if (list) list.push(n);
      else found.set(n.id.name, [n]);
    });
    declarators.set(ast, byName);
  }
  return byName;
}

/**
 * The declaration of the variable `name` that `at` sees: the only one in the file, or else the one in
 * the innermost function around `at`, or else the module's own (a name-based approximation of scope).
 */
function declarationOf(ctx: TsRuleContext, name: string, at: Node): TSESTree.VariableDeclarator | undefined {
  const all = declaratorsOf(ctx.ast).get(name) ?? [];
  if (all.length <= 1) return all[0];
  const around = new Set<Node>();
  for (let n = at.parent; n; n = n.parent) if (isFunction(n)) around.add(n);
  const visible = all.filter((d) => {
    const fn = enclosingFunction(d);
    return fn !== undefined && around.has(fn);
  });
  if (visible.length === 0) {
    // Declared at the top of the module (and again only in other functions).
    const top = all.filter((d) => enclosingFunction(d) === undefined);
    return top.length === 1 ? top[0] : undefined;
  }
  visible.sort((a, b) => b.range[0] - a.range[0]);
  const innermost = enclosingFunction(visible[0]);
  return visible.filter((d) => enclosingFunction(d) === innermost).length === 1 ? visible[0] : undefined;
}

/** What the variable `name` holds, by its declaration (also through a factory of the file, `const server = createServer()`). */
function made(ctx: TsRuleContext, name: string, at: Node): Made | undefined {
  const d = declarationOf(ctx, name, at);
  if (!d) {
    // `import { publicClient } from './clients'`: viem's conventional names, from the project's own module.
    const m = at.type === 'Identifier' && at.name === name ? ctx.imports.resolve(at) : undefined;
    return m && /^(\.{1,2}(\/|$)|@\/|~~?\/|\$lib(\/|$)|#)/.test(m.module) && /^(publicClient|walletClient)$/.test(name) ? 'viem' : undefined;
  }
  return d.init ? (madeBy(ctx, d.init) ?? factoryMade(ctx, d.init)) : undefined;
}

/**
 * What `this.name` holds, by what the class around `at` puts there: a field initialiser
 * (`private exchange = new ccxt.kraken()`) or an assignment in its code (`this.client = new Client(...)`),
 * the only one of the class.
 */
function madeOnThis(ctx: TsRuleContext, name: string, at: Node): Made | undefined {
  let cls: Node | undefined = at.parent;
  while (cls && cls.type !== 'ClassBody') cls = cls.parent;
  if (!cls) return undefined;
  const inits: Node[] = [];
  let others = 0;
  visit(cls, (n) => {
    if (n.type === 'PropertyDefinition' && !n.computed && n.key.type === 'Identifier' && n.key.name === name && n.value) inits.push(n.value);
    if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && n.left.object.type === 'ThisExpression' && propertyOf(n.left) === name) {
      if (n.operator === '=') inits.push(n.right);
      else others++;
    }
  });
  return inits.length === 1 && others === 0 ? madeBy(ctx, inits[0]) : undefined;
}

/** What a receiver holds: a name, or `this.name`. */
function receiverMade(ctx: TsRuleContext, object: Node): Made | undefined {
  if (object.type === 'Identifier') return made(ctx, object.name, object);
  if (object.type === 'MemberExpression' && unwrap(object.object).type === 'ThisExpression') {
    const name = propertyOf(object);
    return name ? madeOnThis(ctx, name, object) : undefined;
  }
  return undefined;
}

/**
 * `createServer()` where the file declares `function createServer() { const server = new McpServer(...); ...;
 * return server; }`: what the factory makes and returns.
 */
function factoryMade(ctx: TsRuleContext, init: Node): Made | undefined {
  let e = unwrap(init);
  if (e.type === 'AwaitExpression') e = unwrap(e.argument);
  if (e.type !== 'CallExpression' || unwrap(e.callee).type !== 'Identifier') return undefined;
  const fnName = (unwrap(e.callee) as TSESTree.Identifier).name;
  let body: Node | undefined;
  for (const st of ctx.ast.body) {
    const d = st.type === 'ExportNamedDeclaration' && st.declaration ? st.declaration : st;
    if (d.type === 'FunctionDeclaration' && d.id?.name === fnName) body = d.body;
  }
  if (!body) return undefined;
  const kinds = new Map<string, Made | undefined>();
  const returned: string[] = [];
  visit(body, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) kinds.set(n.id.name, madeBy(ctx, n.init));
    if (n.type === 'ReturnStatement' && n.argument && unwrap(n.argument).type === 'Identifier') returned.push((unwrap(n.argument) as TSESTree.Identifier).name);
  }, (n) => n !== body && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression'));
  const found = new Set(returned.map((r) => kinds.get(r)));
  return found.size === 1 ? [...found][0] : undefined;
}


/**
 * `tx.wait()` where `tx` is kept from `await signer.sendTransaction(...)` (a file importing ethers)
 * or from `await token.transfer(...)` on a contract made in the file: a transaction response.
 */
function transactionWait(ctx: TsRuleContext, receiver: Node): boolean {
  if (receiver.type !== 'Identifier') return false;
  const init = declarationOf(ctx, receiver.name, receiver)?.init ?? undefined;
  const sent = init && unwrap(init).type === 'AwaitExpression' ? unwrap((unwrap(init) as TSESTree.AwaitExpression).argument) : undefined;
  if (sent?.type !== 'CallExpression') return false;
  const callee = unwrap(sent.callee);
  const method = propertyOf(callee);
  if (callee.type !== 'MemberExpression' || !method) return false;
  if (method === 'sendTransaction') return ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && st.source.value === 'ethers') || made(ctx, rootName(callee.object) ?? '', callee) === 'signer';
  const object = unwrap(callee.object);
  return object.type === 'Identifier' && made(ctx, object.name, object) === 'contract' && !CONTRACT_SYNC.has(method) && method !== 'getAddress' && method !== 'waitForDeployment';
}

const MCP_HANDLER_METHODS = /^(tool|registerTool|resource|registerResource|prompt|registerPrompt)$/;

/**
 * `extra` in a handler given to an McpServer of the file (`server.registerTool(name, config, async (args, extra) => ...)`):
 * the request's context, whose `sendNotification(...)`/`sendRequest(...)` return promises.
 */
function mcpHandlerExtra(ctx: TsRuleContext, object: Node): boolean {
  if (object.type !== 'Identifier') return false;
  for (let fn: Node | undefined = object.parent; fn; fn = fn.parent) {
    if (!isFunction(fn)) continue;
    if (!fn.params.some((p) => p.type === 'Identifier' && p.name === object.name)) continue;
    const call = fn.parent;
    if (call?.type !== 'CallExpression' || call.arguments[call.arguments.length - 1] !== fn) return false;
    const callee = unwrap(call.callee);
    const method = propertyOf(callee);
    if (callee.type !== 'MemberExpression' || !method || !MCP_HANDLER_METHODS.test(method)) return false;
    return receiverMade(ctx, unwrap(callee.object)) === 'mcp-server';
  }
  return false;
}

function rootName(n: Node): string | undefined {
  let r = unwrap(n);
  while (r.type === 'MemberExpression') r = unwrap(r.object);
  return r.type === 'Identifier' ? r.name : undefined;
}

/** Whether a call of one of these libraries returns a promise (see the module comment). */
export function web3AgentPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') {
    const m = ctx.imports.resolve(callee);
    if (!m) return false;
    const p = memberName(m);
    if (/^@openai\/agents(-core)?$/.test(m.module)) return p === 'run' || p === 'withTrace';
    return m.module === 'viem/actions' && !/^watch/.test(p) && p !== '';
  }
  const method = propertyOf(callee);
  if (!method || callee.type !== 'MemberExpression') return false;
  const object = unwrap(callee.object);
  if (method === 'wait' && transactionWait(ctx, object)) return true;
  if ((method === 'sendNotification' || method === 'sendRequest') && mcpHandlerExtra(ctx, object)) return true;
  // `contract.transfer.staticCall(...)`: the forms of a contract method.
  if (CONTRACT_METHOD_FORMS.has(method) && object.type === 'MemberExpression') {
    const inner = unwrap(object.object);
    const name = propertyOf(object);
    return inner.type === 'Identifier' && !!name && !CONTRACT_SYNC.has(name) && made(ctx, inner.name, inner) === 'contract';
  }
  // `server.server.sendLoggingMessage(...)` on an McpServer.
  if (object.type === 'MemberExpression' && propertyOf(object) === 'server') {
    const inner = unwrap(object.object);
    return inner.type === 'Identifier' && made(ctx, inner.name, inner) === 'mcp-server' && MCP_SERVER_REQUESTS.has(method);
  }
  switch (receiverMade(ctx, object)) {
    case 'runner':
      return method === 'run';
    case 'mcp-client':
      return MCP_CLIENT_REQUESTS.has(method);
    case 'mcp-server':
      return method === 'connect' || method === 'close';
    case 'mcp-low-server':
      return MCP_SERVER_REQUESTS.has(method);
    case 'mcp-transport':
      return /^(start|close|send|terminateSession|handleRequest|handlePostMessage)$/.test(method);
    case 'ccxt':
      return CCXT_CALL.test(method);
    case 'contract':
      return !CONTRACT_SYNC.has(method);
    case 'provider':
      return PROVIDER_REQUESTS.test(method);
    case 'signer':
      return SIGNER_REQUESTS.test(method);
    case 'viem':
      return !/^watch/.test(method) && method !== 'extend';
    default:
      return false;
  }
}

/**
 * `client.onerror = ...`, `transport.onclose = ...` on an MCP client, server or transport of the file (also
 * held by a class of the file): callbacks the SDK calls and drops what they return.
 */
export function mcpEventCallback(ctx: TsRuleContext, target: Node): boolean {
  const t = unwrap(target);
  const name = propertyOf(t);
  if (t.type !== 'MemberExpression' || !name || !/^on(error|close|message)$/.test(name)) return false;
  const made = receiverMade(ctx, unwrap(t.object));
  return made === 'mcp-client' || made === 'mcp-server' || made === 'mcp-low-server' || made === 'mcp-transport';
}
