import type { Rule } from '../engine/types';
import { abortSignalIgnored, fetchWithoutTimeout, swallowedAbort, timerOrListenerLeak } from './abortCleanup';
import { blockingCallInAsync } from './blockingCallInAsync';
import { cancelledTaskNotAwaited, timeoutWithoutAwait, yieldInContextManager } from './cancelScopes';
import { danglingTask } from './danglingTask';
import { floatingPromise } from './floatingPromise';
import { asyncTimeoutParameter, asyncWithoutAwait, busyWaitLoop, sleepForever, zeroSleepCheckpoint } from './hygiene';
import { idbTransactionAcrossAwait } from './idbTransaction';
import { legacyEventLoopApi } from './legacyEventLoopApi';
import { misusedPromise } from './misusedPromise';
import { sessionPerRequest, unclosedResource } from './resources';
import { swallowedCancellation, unshieldedCleanupAwait } from './swallowedCancellation';
import { unawaitedCoroutine } from './unawaitedCoroutine';
import { unusedSuppression } from './unusedSuppression';

/** Every rule, in the order of the documentation. */
export const allRules: readonly Rule[] = [
  unawaitedCoroutine,
  danglingTask,
  floatingPromise,
  misusedPromise,
  blockingCallInAsync,
  swallowedCancellation,
  unshieldedCleanupAwait,
  cancelledTaskNotAwaited,
  timeoutWithoutAwait,
  yieldInContextManager,
  abortSignalIgnored,
  timerOrListenerLeak,
  swallowedAbort,
  fetchWithoutTimeout,
  unclosedResource,
  sessionPerRequest,
  idbTransactionAcrossAwait,
  legacyEventLoopApi,
  busyWaitLoop,
  sleepForever,
  zeroSleepCheckpoint,
  asyncWithoutAwait,
  asyncTimeoutParameter,
  unusedSuppression,
];
