import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ConfigResolver, minimumFromRequiresPython, parseTargetVersion } from '../server/src/engine/config';
import { fixturesDir, testEngine } from './helpers/engine';

describe('target Python version', () => {
  it('parses target-version and requires-python', () => {
    assert.deepEqual(parseTargetVersion('py311'), [3, 11]);
    assert.deepEqual(parseTargetVersion('3.9'), [3, 9]);
    assert.equal(parseTargetVersion('python'), undefined);
    assert.deepEqual(minimumFromRequiresPython('>=3.8,<4'), [3, 8]);
    assert.deepEqual(minimumFromRequiresPython('~=3.10'), [3, 10]);
    assert.equal(minimumFromRequiresPython('*'), undefined);
  });

  it("messages follow the project's oldest supported Python", async () => {
    const engine = await testEngine();
    const file = path.join(fixturesDir, 'python/legacy-event-loop-api/py39/old.py');
    const config = new ConfigResolver(engine.ruleIds, fixturesDir).forFile(file).config;
    assert.deepEqual(config.pythonVersion, [3, 9]);
    const text = 'import asyncio\n\n\nasync def main(loop):\n    await asyncio.sleep(1, loop=loop)\n';
    const old = engine.analyze({ filePath: file, text }, config).findings[0];
    assert.match(old.message, /deprecated since Python 3\.8 and removed in 3\.10/);
    const modern = engine.analyze({ filePath: file, text }, { ...config, pythonVersion: [3, 12] }).findings[0];
    assert.match(modern.message, /was removed in Python 3\.10 \(TypeError\)/);
  });
});
