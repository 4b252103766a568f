/**
 * Promise APIs of chat-bot libraries recognised without their types (a bot checked out without
 * `node_modules`, plain JavaScript): each of these calls returns a promise.
 *
 * - Telegraf and grammY: on a bot made in the file (`new Telegraf(token)`, `new Bot(token)`, a
 *   `Composer`) or a parameter typed as one (`bot: Bot<MyContext>`), its API (`bot.telegram.sendMessage(...)`,
 *   `bot.api.sendMessage(...)`), and in a handler given to one of its methods (`bot.command('x', (ctx) => ...)`),
 *   the context's Telegram calls (`ctx.reply(...)`, `ctx.replyWithPhoto(...)`, `ctx.answerCbQuery()`,
 *   `ctx.sendChatAction(...)`, `ctx.banChatMember(...)`, `ctx.react(...)`, ...) and its API (`ctx.telegram.*`, `ctx.api.*`);
 * - Slack Bolt: in a listener given to an `App` (`app.command('/x', async ({ ack, say, respond, client }) => ...)`),
 *   `ack()`, `say(...)`, `respond(...)` and the Web API (`client.chat.postMessage(...)`);
 * - tmi.js: the chat commands of a client made in the file (`client.say(channel, text)`, `join`, `ban`, `connect()`, ...);
 * - whatsapp-web.js: the calls of a client made in the file (`client.initialize()`, `sendMessage(...)`, `destroy()`, ...).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { isFunction, memberPropertyName as propertyOf, unwrapTypeOnly as unwrap, visit, type FunctionNode } from './util';

type Node = TSESTree.Node;
type Kind = 'telegram' | 'slack' | 'tmi' | 'whatsapp';

const MODULES = /telegraf|grammy|@slack\/bolt|tmi\.js|whatsapp-web\.js|discord\.js|@discordjs\/builders/;

/** A Telegram context's methods that call the Bot API. */
const TELEGRAM_CONTEXT =
  /^(reply\w*|answer\w*|send\w*|edit\w*|delete\w*|ban\w*|unban\w*|restrict\w*|promote\w*|pin\w*|unpin\w*|forward\w*|copy\w*|react|setMessageReaction|leaveChat|getChat\w*|getFile|getUserProfilePhotos|approveChatJoinRequest|declineChatJoinRequest|setChat\w*|createChatInviteLink|exportChatInviteLink|kickChatMember|stopPoll|stopMessageLiveLocation)$/;
const TMI_METHODS = new Set([
  'action', 'announce', 'ban', 'clear', 'color', 'commercial', 'connect', 'deletemessage', 'disconnect', 'emoteonly', 'emoteonlyoff',
  'followersonly', 'followersonlyoff', 'host', 'join', 'mod', 'mods', 'part', 'ping', 'r9kbeta', 'r9kbetaoff', 'raw', 'say', 'slow',
  'slowoff', 'subscribers', 'subscribersoff', 'timeout', 'unban', 'unhost', 'unmod', 'unvip', 'vip', 'vips', 'whisper',
]);
const WHATSAPP_METHODS = new Set([
  'initialize', 'destroy', 'logout', 'sendMessage', 'getChats', 'getChatById', 'getContacts', 'getContactById', 'getState', 'sendSeen',
  'archiveChat', 'unarchiveChat', 'pinChat', 'unpinChat', 'muteChat', 'unmuteChat', 'setStatus', 'setDisplayName', 'createGroup',
  'getInviteInfo', 'acceptInvite', 'getProfilePicUrl', 'resetState', 'requestPairingCode', 'sendPresenceAvailable',
  'sendPresenceUnavailable', 'markChatUnread', 'searchMessages', 'getLabels', 'getNumberId', 'getCommonGroups', 'getBlockedContacts',
]);
const SLACK_REPLIES = new Set(['ack', 'say', 'respond']);

/** The library a class or type named by `callee` comes from (`Telegraf`, `Bot`, `App`, `tmi.Client`). */
function kindOfClass(ctx: TsRuleContext, callee: Node): Kind | undefined {
  const m = ctx.imports.resolve(callee);
  if (!m) return undefined;
  const p = m.path.join('.').replace(/^default\.?/, '');
  if (m.module === 'telegraf') return p === '' || p === 'Telegraf' || p === 'Composer' ? 'telegram' : undefined;
  if (m.module === 'grammy') return p === 'Bot' || p === 'Composer' ? 'telegram' : undefined;
  if (m.module === '@slack/bolt') return p === 'App' || p === '' ? 'slack' : undefined;
  if (m.module === 'tmi.js') return /^(Client|client)$/.test(p) ? 'tmi' : undefined;
  if (m.module === 'whatsapp-web.js') return p === 'Client' ? 'whatsapp' : undefined;
  return undefined;
}

/** The library of the client or bot an identifier names: made in the file (declared once), or a parameter typed so. */
function kindOf(ctx: TsRuleContext, id: TSESTree.Identifier, cache: Map<string, Kind | null>): Kind | undefined {
  const known = cache.get(id.name);
  if (known !== undefined) return known ?? undefined;
  let found: Kind | undefined;
  let declarations = 0;
  visit(ctx.ast, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === id.name) {
      declarations++;
      const init = n.init ? unwrap(n.init) : undefined;
      if (init?.type === 'NewExpression') found = kindOfClass(ctx, unwrap(init.callee));
    } else if (n.type === 'Identifier' && n.name === id.name && n.parent && isFunction(n.parent) && n.parent.params.includes(n as TSESTree.Parameter)) {
      declarations++;
      const annotation = n.typeAnnotation?.typeAnnotation;
      if (annotation?.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier') found = kindOfClass(ctx, annotation.typeName);
    }
  });
  const kind = declarations === 1 ? found : undefined;
  cache.set(id.name, kind ?? null);
  return kind;
}

/**
 * The bot or app a handler is given to (`bot.command('x', handler)`, `app.event('e', handler)`), for
 * the function that declares `name` as (a destructured property of) its first parameter.
 */
function handlerOwner(ctx: TsRuleContext, from: Node, name: string, destructured: boolean, cache: Map<string, Kind | null>): Kind | undefined {
  let fn: FunctionNode | undefined;
  const declares = (p: Node | undefined): 'plain' | 'destructured' | undefined => {
    if (p?.type === 'Identifier' && p.name === name) return 'plain';
    if (p?.type === 'ObjectPattern' && p.properties.some((q) => q.type === 'Property' && q.value.type === 'Identifier' && q.value.name === name)) return 'destructured';
    return undefined;
  };
  for (let n: Node | undefined = from.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    const index = n.params.findIndex((p) => declares(p) !== undefined);
    if (index < 0) continue;
    // Another parameter of that name, or a first one of another form, is not the handler's context.
    if (index > 0 || declares(n.params[0]) !== (destructured ? 'destructured' : 'plain')) return undefined;
    fn = n;
    break;
  }
  if (!fn) return undefined;
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const receiver = unwrap(callee.object);
  return receiver.type === 'Identifier' ? kindOf(ctx, receiver, cache) : undefined;
}

const caches = new WeakMap<TSESTree.Program, Map<string, Kind | null>>();

/** Whether a call of a chat-bot library returns a promise (see the module comment). */
export function chatBotPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  if (!MODULES.test(ctx.text)) return false;
  let cache = caches.get(ctx.ast);
  if (!cache) caches.set(ctx.ast, (cache = new Map()));
  const callee = unwrap(call.callee);
  // Slack Bolt: `ack()`, `say(...)`, `respond(...)` of a listener's arguments.
  if (callee.type === 'Identifier') return SLACK_REPLIES.has(callee.name) && handlerOwner(ctx, call, callee.name, true, cache) === 'slack';
  const method = propertyOf(callee);
  if (!method || callee.type !== 'MemberExpression') return false;
  if (/discord/.test(ctx.text) && discordPromise(ctx, callee, method)) return true;
  const object = unwrap(callee.object);
  // `bot.telegram.sendMessage(...)`, `ctx.api.sendMessage(...)`, `client.chat.postMessage(...)`.
  const inner = propertyOf(object);
  const root = object.type === 'MemberExpression' ? unwrap(object.object) : object;
  if (root.type !== 'Identifier') return false;
  if (inner !== undefined) {
    if (inner === 'telegram' || inner === 'api') {
      return kindOf(ctx, root, cache) === 'telegram' || handlerOwner(ctx, call, root.name, false, cache) === 'telegram';
    }
    // Slack's Web API: `client.chat.postMessage(...)` with `client` of a listener's arguments.
    return /^(chat|conversations|users|views|reactions|pins|files|reminders|usergroups)$/.test(inner) && handlerOwner(ctx, call, root.name, true, cache) === 'slack';
  }
  const kind = kindOf(ctx, root, cache);
  if (kind === 'tmi') return TMI_METHODS.has(method);
  if (kind === 'whatsapp') return WHATSAPP_METHODS.has(method);
  return TELEGRAM_CONTEXT.test(method) && handlerOwner(ctx, call, root.name, false, cache) === 'telegram';
}

// ---------------------------------------------------------------------------------------------
// discord.js

type DiscordKind = 'interaction' | 'message' | 'channel' | 'client' | 'user';

const DISCORD_METHODS: Record<DiscordKind, RegExp> = {
  interaction: /^(reply|deferReply|editReply|followUp|deleteReply|fetchReply|showModal|update|deferUpdate|respond|awaitModalSubmit)$/,
  message: /^(reply|react|delete|edit|pin|unpin|crosspost|suppressEmbeds|startThread|removeAttachments|awaitReactions|awaitMessageComponent)$/,
  channel: /^(send|bulkDelete|sendTyping|setName|setTopic|setRateLimitPerUser|createInvite|awaitMessages|awaitMessageComponent)$/,
  client: /^(login|destroy)$/,
  user: /^(send|createDM|deleteDM|kick|ban|timeout|setNickname|disableCommunicationUntil)$/,
};

/** A member chain below a discord.js value and the kind of what it reaches (`message.channel`, `interaction.user`). */
function discordMember(kind: DiscordKind, between: string[]): DiscordKind | 'roles' | 'members' | 'manager' | undefined {
  const path = between.join('.');
  if (path === '') return kind;
  if (kind === 'interaction' || kind === 'message') {
    if (path === 'channel') return 'channel';
    if (path === 'user' || path === 'author' || path === 'member') return 'user';
    if (path === 'message' && kind === 'interaction') return 'message';
    if (path === 'member.roles') return 'roles';
    if (path === 'guild.members') return 'members';
  }
  if (kind === 'client' && /^(users|channels|guilds|application\.commands)$/.test(path)) return 'manager';
  if (kind === 'user' && path === 'roles') return 'roles';
  return undefined;
}

/** The discord.js type a type annotation names (`Message`, `ChatInputCommandInteraction`, `TextChannel | undefined`). */
function discordTypeKind(ctx: TsRuleContext, annotation: Node | undefined): DiscordKind | undefined {
  if (!annotation) return undefined;
  if (annotation.type === 'TSUnionType') {
    for (const t of annotation.types) {
      const k = discordTypeKind(ctx, t);
      if (k) return k;
    }
    return undefined;
  }
  if (annotation.type !== 'TSTypeReference' || annotation.typeName.type !== 'Identifier') return undefined;
  const m = ctx.imports.resolve(annotation.typeName);
  if (m?.module !== 'discord.js' || m.path.length !== 1) return undefined;
  const name = m.path[0];
  if (/Interaction$/.test(name)) return 'interaction';
  if (name === 'Message') return 'message';
  if (/Channel(s)?$/.test(name)) return 'channel';
  if (name === 'Client') return 'client';
  if (name === 'User' || name === 'GuildMember') return 'user';
  return undefined;
}

/** The event a discord.js listener or event module handles: `Events.InteractionCreate` or `'interactionCreate'`. */
function discordEvent(ctx: TsRuleContext, node: Node | undefined): DiscordKind | undefined {
  if (!node) return undefined;
  const e = unwrap(node);
  let name: string | undefined;
  if (e.type === 'Literal' && typeof e.value === 'string') name = e.value;
  else if (e.type === 'MemberExpression') {
    const m = ctx.imports.resolve(e);
    if (m?.module === 'discord.js' && m.path.length === 2 && m.path[0] === 'Events') name = m.path[1].charAt(0).toLowerCase() + m.path[1].slice(1);
  }
  return name === 'interactionCreate' ? 'interaction' : name === 'messageCreate' ? 'message' : undefined;
}

/** Whether an expression is a discord.js command builder chain (`new SlashCommandBuilder().setName(...)`). */
function commandBuilder(ctx: TsRuleContext, node: Node): boolean {
  let e = unwrap(node);
  while (e.type === 'CallExpression' && e.callee.type === 'MemberExpression') e = unwrap(e.callee.object);
  if (e.type !== 'NewExpression') return false;
  const m = ctx.imports.resolve(unwrap(e.callee));
  return !!m && (m.module === 'discord.js' || m.module === '@discordjs/builders') && /^(SlashCommandBuilder|ContextMenuCommandBuilder)$/.test(m.path.join('.'));
}

/** What the first parameter of a function is, by where the function is given. */
function discordParameter(ctx: TsRuleContext, fn: FunctionNode): DiscordKind | undefined {
  const holder = fn.parent?.type === 'Property' && fn.parent.value === fn ? fn.parent : undefined;
  // `module.exports = { data: new SlashCommandBuilder()..., async execute(interaction) { ... } }`, or an event module `{ name: Events.MessageCreate, execute(message) }`.
  if (holder && holder.key.type === 'Identifier' && /^(execute|run)$/.test(holder.key.name) && holder.parent?.type === 'ObjectExpression') {
    for (const p of holder.parent.properties) {
      if (p.type !== 'Property' || p.key.type !== 'Identifier') continue;
      if (p.key.name === 'data' && commandBuilder(ctx, p.value)) return 'interaction';
      if (p.key.name === 'name') return discordEvent(ctx, p.value);
    }
    return undefined;
  }
  // `client.on(Events.InteractionCreate, async (interaction) => ...)`.
  const call = fn.parent;
  if (call?.type === 'CallExpression' && call.arguments[1] === fn) {
    const callee = unwrap(call.callee);
    if (callee.type === 'MemberExpression' && /^(on|once)$/.test(propertyOf(callee) ?? '')) return discordEvent(ctx, call.arguments[0] as Node);
  }
  return undefined;
}

const functionLocals = new WeakMap<FunctionNode, Map<string, TSESTree.VariableDeclarator | null>>();

/** The locals a function declares outside its nested functions, by name (null: declared more than once). */
function localsOf(fn: FunctionNode): Map<string, TSESTree.VariableDeclarator | null> {
  let locals = functionLocals.get(fn);
  if (locals) return locals;
  const found = new Map<string, TSESTree.VariableDeclarator | null>();
  visit(fn.body, (d) => {
    if (d.type === 'VariableDeclarator' && d.id.type === 'Identifier') found.set(d.id.name, found.has(d.id.name) ? null : d);
  }, (d) => isFunction(d));
  functionLocals.set(fn, (locals = found));
  return locals;
}

const madeClients = new WeakMap<TSESTree.Program, Map<string, DiscordKind | null>>();

/** `const client = new Client({ intents })` of the file: the names made so, declared once. */
function madeDiscordClient(ctx: TsRuleContext, name: string): DiscordKind | undefined {
  let made = madeClients.get(ctx.ast);
  if (!made) {
    const found = new Map<string, DiscordKind | null>();
    visit(ctx.ast, (n) => {
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier') return;
      const init = n.init ? unwrap(n.init) : undefined;
      const m = init?.type === 'NewExpression' ? ctx.imports.resolve(unwrap(init.callee)) : undefined;
      const kind = m?.module === 'discord.js' && m.path.join('.') === 'Client' ? 'client' : null;
      found.set(n.id.name, found.has(n.id.name) ? null : kind);
    });
    madeClients.set(ctx.ast, (made = found));
  }
  return made.get(name) ?? undefined;
}

/** What discord.js value a name holds where it is used: a parameter of an enclosing function, or a local of it. */
function discordValue(ctx: TsRuleContext, id: TSESTree.Identifier, depth = 0): DiscordKind | undefined {
  if (depth > 2) return undefined;
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    const index = n.params.findIndex((p) => p.type === 'Identifier' && p.name === id.name);
    if (index >= 0) {
      const param = n.params[index] as TSESTree.Identifier;
      return discordTypeKind(ctx, param.typeAnnotation?.typeAnnotation) ?? (index === 0 ? discordParameter(ctx, n) : undefined);
    }
    // `const msg = await interaction.editReply(...)`, `const log = channels.find(...) as TextChannel | undefined`.
    const local = localsOf(n).get(id.name);
    if (local === null) return undefined;
    if (local) {
      const annotated = discordTypeKind(ctx, (local.id as TSESTree.Identifier).typeAnnotation?.typeAnnotation);
      if (annotated) return annotated;
      let init: Node | null = local.init;
      if (init?.type === 'TSAsExpression') return discordTypeKind(ctx, init.typeAnnotation);
      if (init?.type === 'AwaitExpression') init = unwrap(init.argument);
      if (init?.type !== 'CallExpression') return undefined;
      const callee = unwrap(init.callee);
      const method = propertyOf(callee);
      if (!method || callee.type !== 'MemberExpression' || !/^(editReply|followUp|fetchReply|send|reply)$/.test(method)) return undefined;
      const between: string[] = [];
      let root: Node = unwrap(callee.object);
      while (root.type === 'MemberExpression' && propertyOf(root)) {
        between.unshift(propertyOf(root)!);
        root = unwrap(root.object);
      }
      if (root.type !== 'Identifier') return undefined;
      const kind = discordValue(ctx, root, depth + 1);
      const reached = kind ? discordMember(kind, between) : undefined;
      // An interaction's reply gives a Message only when asked (`fetchReply`); its other answers always do.
      if (reached === 'interaction' && method === 'reply') return undefined;
      return reached === 'interaction' || reached === 'message' || reached === 'channel' ? 'message' : undefined;
    }
  }
  return undefined;
}

/** Whether a call of discord.js returns a promise, without its types (see chatBotPromise). */
function discordPromise(ctx: TsRuleContext, callee: TSESTree.MemberExpression, method: string): boolean {
  const between: string[] = [];
  let root: Node = unwrap(callee.object);
  while (root.type === 'MemberExpression' && propertyOf(root)) {
    between.unshift(propertyOf(root)!);
    root = unwrap(root.object);
  }
  if (root.type !== 'Identifier' || between.length > 2) return false;
  // `const client = new Client({ intents })` of the file.
  const kind = discordValue(ctx, root) ?? madeDiscordClient(ctx, root.name);
  if (!kind) return false;
  const reached = discordMember(kind, between);
  if (reached === 'roles') return /^(add|remove|set)$/.test(method);
  if (reached === 'members') return /^(ban|unban|kick|fetch)$/.test(method);
  if (reached === 'manager') return /^(fetch|send|create|set|delete|edit)$/.test(method);
  return !!reached && DISCORD_METHODS[reached].test(method);
}
