/**
 * timer-or-listener-leak (Python): Home Assistant subscriptions whose unsubscribe function is
 * dropped where the integration sets up a config entry or an entity.
 *
 * Home Assistant's tracking helpers (`async_track_time_interval`, `async_track_state_change_event`,
 * `async_dispatcher_connect`, `hass.bus.async_listen`, ...) return the callable that undoes them.
 * `async_setup_entry` runs again at every reload of the entry, and an entity's
 * `async_added_to_hass` for every entity added: a subscription made there and never undone
 * outlives the entry or the entity (its callback keeps firing on an unloaded entry or a removed
 * entity, and a reload adds a second one). `entry.async_on_unload(...)` and
 * `self.async_on_remove(...)` take the unsubscribe function for that.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { PythonRuleContext } from '../context';
import { field, importsModule, inNestedScope, mentions, nodesOfType } from '../util';

const HOME_ASSISTANT = importsModule('homeassistant');

/** Helpers that subscribe for good (not the one-shot timers, `async_call_later`, `async_track_point_in_time`). */
const SUBSCRIBING_FUNCTIONS = new Set([
  'homeassistant.helpers.event.async_track_time_interval',
  'homeassistant.helpers.event.async_track_state_change_event',
  'homeassistant.helpers.event.async_track_state_change',
  'homeassistant.helpers.event.async_track_state_added_domain',
  'homeassistant.helpers.event.async_track_state_removed_domain',
  'homeassistant.helpers.event.async_track_entity_registry_updated_event',
  'homeassistant.helpers.event.async_track_device_registry_updated_event',
  'homeassistant.helpers.event.async_track_time_change',
  'homeassistant.helpers.event.async_track_utc_time_change',
  'homeassistant.helpers.event.async_track_sunrise',
  'homeassistant.helpers.event.async_track_sunset',
  'homeassistant.helpers.event.async_track_template',
  'homeassistant.helpers.event.async_track_template_result',
  'homeassistant.helpers.dispatcher.async_dispatcher_connect',
  'homeassistant.components.bluetooth.async_register_callback',
]);

/** Methods that subscribe for good, on the receivers Home Assistant code calls them on. */
const SUBSCRIBING_METHODS = /(^|\.)(bus\.async_listen|add_update_listener)$/;

/** Where an integration subscribes per config entry or per entity. */
const SET_UP_FUNCTIONS = new Set(['async_setup_entry', 'async_added_to_hass']);

export function checkHaListenerLeaks(ctx: PythonRuleContext): void {
  if (!mentions(ctx.text, HOME_ASSISTANT)) return;
  const defs = nodesOfType(ctx.tree.rootNode, 'function_definition');
  const setUps = defs.filter((fn) => SET_UP_FUNCTIONS.has(field(fn, 'name')?.text ?? ''));
  // An integration's `__init__.py` with no `async_unload_entry`: its entries cannot be unloaded nor reloaded.
  const unloadable = !/(^|[\\/])__init__\.py$/.test(ctx.filePath) || defs.some((fn) => field(fn, 'name')?.text === 'async_unload_entry');
  for (const fn of setUps) {
    const name = field(fn, 'name')!.text;
    // `async_setup_entry` of the module, `async_added_to_hass` of a class.
    const atModule = fn.parent?.type === 'module' || (fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'module');
    if (name === 'async_setup_entry' && (!atModule || !unloadable)) continue;
    if (name === 'async_added_to_hass' && atModule) continue;
    for (const call of nodesOfType(fn, 'call')) {
      if (call.parent?.type !== 'expression_statement' || inNestedScope(call, fn)) continue;
      const helper = subscription(ctx, call);
      if (!helper) continue;
      const keeper = name === 'async_setup_entry' ? `${entryName(fn)}.async_on_unload(...)` : 'self.async_on_remove(...)';
      const outlives = name === 'async_setup_entry' ? 'the config entry: it stays subscribed after the entry is unloaded, and every reload adds another' : 'the entity: it stays subscribed after the entity is removed';
      ctx.report({
        message: `The unsubscribe function that ${helper}() returns is dropped, so this subscription outlives ${outlives}. Hand it to ${keeper}`,
        range: ctx.rangeOf(call),
      });
    }
  }
}

/** The name of the subscribing helper `call` calls, if it is one. */
function subscription(ctx: PythonRuleContext, call: Node): string | undefined {
  const callee = field(call, 'function');
  if (!callee) return undefined;
  const resolved = ctx.scope.resolve(callee)?.name;
  if (resolved && SUBSCRIBING_FUNCTIONS.has(resolved)) return resolved.split('.').pop();
  if (callee.type === 'attribute' && SUBSCRIBING_METHODS.test(callee.text)) return callee.text;
  return undefined;
}

/** The config entry parameter of `async_setup_entry(hass, entry, ...)`, by its name as written. */
function entryName(fn: Node): string {
  const params = field(fn, 'parameters')?.namedChildren ?? [];
  const second = params[1];
  const id = second?.type === 'identifier' ? second : second?.namedChildren.find((c) => c?.type === 'identifier');
  return id?.text ?? 'entry';
}
