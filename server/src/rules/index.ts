import type { Rule } from '../engine/types';
import { blockingCallInAsync } from './blockingCallInAsync';
import { unusedSuppression } from './unusedSuppression';

/** Every rule, in the order of the documentation. */
export const allRules: readonly Rule[] = [blockingCallInAsync, unusedSuppression];
