/**
 * The TS/JS half of the analyser: the front end and the rules' checks, with the TypeScript
 * compiler and typescript-estree they need. Shipped as a bundle of its own and loaded on first
 * use (see lazy.ts).
 */
export { TsFrontEnd } from './parser';
export { checkAbortSignalIgnored, checkFetchWithoutTimeout, checkSwallowedAbort, checkTimerOrListenerLeak } from './rules/abortCleanup';
export { checkTsBlockingCalls } from './rules/blockingCall';
export { checkIdbTransactionAcrossAwait } from './rules/idbTransaction';
export { checkFloatingPromises } from './rules/floatingPromise';
export { checkMisusedPromises } from './rules/misusedPromise';
export { checkUnclosedResources } from './rules/unclosedResource';
