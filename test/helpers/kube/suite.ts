// One control plane per test file of the real-Kubernetes tier: started in `before` (building the
// binaries first if needed) and stopped in `after`, pass or fail. Prints its start time and memory.
import { startControlPlane, type ControlPlane } from './control-plane.js';

const MiB = 1024 * 1024;

export function controlPlaneForSuite(): () => ControlPlane {
  let controlPlane: ControlPlane | undefined;
  let startedAt = 0;
  before(async function () {
    this.timeout(40 * 60_000); // a cold build of the binaries takes about 10 minutes on 2 cores
    startedAt = Date.now();
    controlPlane = await startControlPlane();
    console.log(
      `      [real-k8s] control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) ` +
        `with 3 Ready nodes in ${controlPlane.startSeconds.toFixed(1)} s, ${(controlPlane.rssBytes() / MiB).toFixed(0)} MiB RSS`,
    );
  });
  after(async () => {
    if (!controlPlane) return;
    const wallSeconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    console.log(`      [real-k8s] this file took ${wallSeconds} s; control plane RSS at the end: ${(controlPlane.rssBytes() / MiB).toFixed(0)} MiB`);
    await controlPlane.stop();
    controlPlane = undefined;
  });
  return () => {
    if (!controlPlane) throw new Error('the control plane is not running');
    return controlPlane;
  };
}
