/** `--fix` on the python fixtures gives their twins (the CLI run as a process). */
import { fixTwinTests } from './helpers/cliTwins';

describe('cli: python fixtures', function () {
  this.timeout(60_000);
  fixTwinTests('python/');
});
