/** `--fix` on the typescript fixtures gives their twins (the CLI run as a process). */
import { fixTwinTests } from './helpers/cliTwins';

describe('cli: typescript fixtures', function () {
  // A typed fixture builds its program, fixes and checks again: minutes on a loaded machine.
  this.timeout(180_000);
  fixTwinTests('typescript/');
});
