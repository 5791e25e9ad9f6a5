/** The settings that reach the runtime process (src/host/sessionSettings.ts): checked, defaulted, completed per request. */
import * as assert from 'node:assert/strict';
import { sessionOptionsFromSettings, sessionSettings, type RuntimeSettingValues } from '../../../src/host/sessionSettings';
import { DEFAULT_SESSION_OPTIONS } from '../../../src/shared/runtimeTypes';

describe('host: session settings', () => {
  it('takes valid settings and falls back to the defaults for anything a settings.json may hold', () => {
    assert.deepEqual(sessionOptionsFromSettings({ intraOpThreads: 4, interOpThreads: 2, graphOptimizationLevel: 'extended', executionProvider: 'cuda' }),
      { ...DEFAULT_SESSION_OPTIONS, intraOpThreads: 4, interOpThreads: 2, graphOptimization: 'extended', executionProvider: 'cuda' });
    assert.deepEqual(sessionOptionsFromSettings({ intraOpThreads: -1, interOpThreads: 2.5, graphOptimizationLevel: 'max', executionProvider: 7 }),
      { ...DEFAULT_SESSION_OPTIONS, intraOpThreads: 0, interOpThreads: 0, graphOptimization: 'all', executionProvider: 'cpu' });
    assert.equal(sessionOptionsFromSettings({ intraOpThreads: 257 }).intraOpThreads, 0);
  });

  it('completes a request\'s options: the Run tab\'s provider wins over the setting; labels file and log level from the host, read fresh', () => {
    let values: RuntimeSettingValues = { executionProvider: 'dml' };
    const s = sessionSettings(() => values, () => 'verbose');
    assert.equal(s.complete({ ...DEFAULT_SESSION_OPTIONS, executionProvider: 'cpu' }).executionProvider, 'cpu');
    const { executionProvider: _, ...chosenNone } = DEFAULT_SESSION_OPTIONS;
    assert.deepEqual(s.complete(chosenNone), { ...chosenNone, executionProvider: 'dml', labelsFile: true, ortLogLevel: 'verbose' });
    values = { useLabelsFile: false };
    assert.deepEqual(s.complete(chosenNone), { ...chosenNone, executionProvider: 'cpu', labelsFile: false, ortLogLevel: 'verbose' });
  });
});
