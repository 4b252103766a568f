/**
 * Promise APIs of mobile and hybrid app libraries, known by module, for code analysed without
 * their types (a checkout without `node_modules`, where every call into them is typed `any`):
 * AsyncStorage, Expo's SDK (every asynchronous function is named `...Async`), Capacitor plugins
 * (every plugin method returns a promise), NetInfo, and React Native's promise-returning modules.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { nearestAbove, packageDependencies, readJsonIn } from './util';

type Node = TSESTree.Node;

const ASYNC_STORAGE = new Set(['getItem', 'setItem', 'removeItem', 'mergeItem', 'clear', 'getAllKeys', 'multiGet', 'multiSet', 'multiRemove', 'multiMerge']);

/** React Native's modules whose methods return promises. */
const REACT_NATIVE: Record<string, Set<string>> = {
  Linking: new Set(['openURL', 'canOpenURL', 'getInitialURL', 'openSettings', 'sendIntent']),
  Share: new Set(['share']),
  PermissionsAndroid: new Set(['check', 'request', 'requestMultiple']),
  AccessibilityInfo: new Set(['isBoldTextEnabled', 'isGrayscaleEnabled', 'isInvertColorsEnabled', 'isReduceMotionEnabled', 'isReduceTransparencyEnabled', 'isScreenReaderEnabled', 'isAccessibilityServiceEnabled', 'prefersCrossFadeTransitions', 'getRecommendedTimeoutMillis']),
  Image: new Set(['prefetch', 'queryCache']),
};

/** Capacitor's plugin packages (`@capacitor/preferences`, community and Capawesome plugins); not the runtime and tooling. */
const CAPACITOR_PLUGIN_MODULE = /^(@capacitor\/(?!core$|cli$|android$|ios$|assets$)[\w-]+|@capacitor-community\/[\w-]+|@capawesome(-team)?\/[\w-]+|@capacitor-firebase\/[\w-]+)$/;
/** The plugins `@capacitor/core` itself exports. */
const CAPACITOR_CORE_PLUGINS = new Set(['CapacitorHttp', 'CapacitorCookies']);

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

/** Whether calling `callee` gives a promise, by what the module it comes from is known to do. */
export function mobilePromiseApi(ctx: TsRuleContext, callee: Node): boolean {
  const c = unwrap(callee);
  const m = ctx.imports.resolve(c);
  // `db.runAsync(...)` on an expo-sqlite database, `sound.playAsync()` on an expo-av sound: in a
  // file that uses Expo, a method named `...Async` is asynchronous by the same convention.
  if (!m && c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && /[a-z]Async$/.test(c.property.name)) return usesExpo(ctx);
  if (!m || m.path.length === 0) return false;
  const path = m.path[0] === 'default' ? m.path.slice(1) : m.path;
  if (path.length === 0) return false;
  const last = path[path.length - 1];
  if (m.module === '@react-native-async-storage/async-storage') return path.length === 1 && ASYNC_STORAGE.has(last);
  if (m.module === '@react-native-community/netinfo') return path.length === 1 && (last === 'fetch' || last === 'refresh');
  if (m.module === 'react-native') return path.length === 2 && !!REACT_NATIVE[path[0]]?.has(last);
  // Expo's naming convention: `SecureStore.setItemAsync`, `FileSystem.writeAsStringAsync`,
  // `Camera.requestCameraPermissionsAsync`; its synchronous functions carry no such suffix.
  if (/^expo-[\w-]+$/.test(m.module)) return path.length <= 3 && /[a-z]Async$/.test(last);
  // `Preferences.set(...)`, `Filesystem.writeFile(...)`, `App.addListener(...)`: a plugin's
  // methods cross the native bridge, and each returns a promise.
  if (CAPACITOR_PLUGIN_MODULE.test(m.module)) return path.length === 2 && /^[A-Z]/.test(path[0]);
  if (m.module === '@capacitor/core') return path.length === 2 && CAPACITOR_CORE_PLUGINS.has(path[0]);
  return false;
}

const expoFiles = new WeakMap<TSESTree.Program, boolean>();

/** Whether the file imports one of Expo's SDK modules (`expo-sqlite`, `expo-av`, ...). */
function usesExpo(ctx: TsRuleContext): boolean {
  let known = expoFiles.get(ctx.ast);
  if (known === undefined) {
    known = ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && /^expo-[\w-]+$/.test(String(st.source.value)));
    expoFiles.set(ctx.ast, known);
  }
  return known;
}

/** Modules only app code (React Native, Expo, Capacitor, Ionic) imports. */
export const MOBILE_APP_MODULES = /^(react-native|expo|expo-[\w-]+|@expo\/|@react-native|@react-navigation\/|@capacitor\/|@capacitor-community\/|@capawesome|@ionic\/|@tanstack\/react-query$)/;
/** Dependencies that make a package a mobile or hybrid app. */
const MOBILE_APP_DEPENDENCIES = /^(react-native|expo|@capacitor\/core|@ionic\/(react|angular|vue)|@ionic\/core)$/;

const appPackages = new Map<string, boolean>();

/** Forgets what the package.json files said (one was edited, added or deleted). */
export function forgetAppPackages(): void {
  appPackages.clear();
}

/**
 * Whether the nearest `package.json` above the file declares a mobile or hybrid app (a dependency
 * on `react-native`, `expo`, `@capacitor/core` or Ionic): its code runs on a device, not a server.
 */
export function inMobileAppPackage(filePath: string): boolean {
  return nearestAbove(
    filePath,
    appPackages,
    (dir) => {
      const doc = readJsonIn(dir, 'package.json');
      if (doc === undefined) return undefined;
      return packageDependencies(doc).some(([name]) => MOBILE_APP_DEPENDENCIES.test(name));
    },
    false,
  );
}
