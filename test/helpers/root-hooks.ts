// Mocha root hooks: SDK logs only on errors (failed operations are expected in tests), and one
// Temporal dev server for the whole run, stopped at the end whatever happened.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stopSharedTemporal } from './temporal.js';

Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } },
});

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedTemporal();
  },
};
