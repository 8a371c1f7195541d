// Real Elasticsearch behind the real StatefulSet: what the test kubelet runs for each pod is a real
// node process (the real-node tier's launcher, src/sandbox/real-nodes), and the worker reaches the
// cluster through a relay that plays the Elasticsearch Service, in front of the master pod
// (ordinal 0, which scale-in never removes; its HTTP port is only known once it runs).
import { Client } from '@elastic/elasticsearch';
import { applyScenario, startRealNodes, type Distribution, type RealNodes } from '../../../src/sandbox/real-nodes/index.js';
import type { Scenario } from '../../../src/sandbox/scenario.js';
import type { PodElasticsearch } from './world.js';
import { startRelay } from './slow-link.js';

const HOST = '127.0.0.1';

export interface RealPodElasticsearch extends PodElasticsearch {
  /** The node processes running now. */
  real: RealNodes;
}

export function realPodElasticsearch(distribution: Distribution, log?: (line: string) => void): (scenario: Scenario) => Promise<RealPodElasticsearch> {
  return async (scenario) => {
    const real = startRealNodes({ distribution, clusterName: `${scenario.namespace}-${scenario.statefulSet}`, ...(log ? { log } : {}) });
    const service = await startRelay(HOST, () => real.master()?.httpPort).catch(async (err: unknown) => {
      await real.close();
      throw err;
    });
    const esUrl = `http://${HOST}:${service.port}`;
    return {
      esUrl,
      nodes: real.runtime,
      real,
      createIndices: async () => {
        const client = new Client({ node: esUrl, requestTimeout: 150_000 });
        try {
          await applyScenario(client, scenario);
        } finally {
          await client.close();
        }
      },
      close: async () => {
        await service.close();
        await real.close();
      },
    };
  };
}
