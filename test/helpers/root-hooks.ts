// Mocha root hooks: quiet SDK logs, and one Temporal dev server for the whole run, stopped at the
// end whatever happened.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stopSharedTemporal } from './temporal.js';

Runtime.install({ logger: new DefaultLogger('WARN') });

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedTemporal();
  },
};
