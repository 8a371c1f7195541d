// K0: the control plane of the tier itself: real versions, three Ready kwok nodes in three zones,
// and stop() leaves no process behind.
import assert from 'node:assert/strict';
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import { startControlPlane, ZONE_LABEL, type ControlPlane } from '../helpers/kube/control-plane.js';

describe('real Kubernetes: the control plane', function () {
  this.timeout(40 * 60_000); // includes a cold build of the binaries
  let controlPlane: ControlPlane | undefined;
  after(async () => controlPlane?.stop());

  it('K0: Kubernetes v1.34.4 with three Ready nodes in three zones; stop() ends every process', async () => {
    controlPlane = await startControlPlane();
    const version = await controlPlane.admin.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.34.4');
    const nodes = await controlPlane.admin.makeApiClient(CoreV1Api).listNode();
    assert.deepEqual(nodes.items.map((n) => n.metadata?.labels?.[ZONE_LABEL]).sort(), ['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    const pids = controlPlane.pids();
    assert.equal(pids.length, 5);
    assert.ok(controlPlane.rssBytes() > 0);

    await controlPlane.stop();
    controlPlane = undefined;
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(alive, [], 'no control-plane process is left');
  });
});
