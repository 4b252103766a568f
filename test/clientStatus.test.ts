import { strict as assert } from 'node:assert';
import { statusView } from '../client/src/status';

describe('client status item (pure logic)', () => {
  it('shows the last analysis time and turns to a warning over the budget', () => {
    assert.equal(statusView(undefined, 500).text, 'AsyncSense');
    const fast = statusView({ uri: 'file:///a.py', durationMs: 12, findings: 1 }, 500);
    assert.deepEqual([fast.text, fast.severity], ['AsyncSense: 12 ms', 0]);
    assert.match(fast.detail, /1 finding;/);
    const slow = statusView({ uri: 'file:///a.py', durationMs: 900, findings: 3 }, 500);
    assert.equal(slow.severity, 1);
    assert.match(slow.detail, /over the 500 ms budget/);
    const skipped = statusView({ uri: 'file:///b.py', durationMs: 0, findings: 0, skipped: 'binary file' }, 500);
    assert.match(skipped.detail, /binary file/);
  });
});
