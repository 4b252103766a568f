/** `--fix` on the typescript fixtures gives their twins (the CLI run as a process). */
import { fixTwinTests } from './helpers/cliTwins';

describe('cli: typescript fixtures', function () {
  this.timeout(60_000);
  fixTwinTests('typescript/');
});
