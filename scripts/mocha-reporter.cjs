// The spec reporter, followed by the one-line summary CI reads: "N passed, N failed".
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes = 0, failures = 0 } = runner.stats ?? {};
      process.nextTick(() => console.log(`${passes} passed, ${failures} failed`));
    });
  }
}
module.exports = SummaryReporter;
