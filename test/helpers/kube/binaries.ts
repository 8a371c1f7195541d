// The control-plane binaries of the real-Kubernetes tier, built once by scripts/kubernetes/build.sh
// into .cache/kubernetes (a few seconds when cached, about 10 minutes cold on 2 cores).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';

export interface KubernetesBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  /** kwok's own node and pod stages, taken from its module by the build script. */
  kwokStages: string;
}

let built: KubernetesBinaries | undefined;

/** Builds (or finds cached) the binaries; prints how long that took, so CI logs show the cold build. */
export function kubernetesBinaries(): KubernetesBinaries {
  if (built) return built;
  const started = Date.now();
  const bin = execFileSync(join(packageRoot, 'scripts', 'kubernetes', 'build.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  console.log(`      [real-k8s] control-plane binaries ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${bin})`);
  built = {
    etcd: join(bin, 'etcd'),
    kubeApiserver: join(bin, 'kube-apiserver'),
    kubeControllerManager: join(bin, 'kube-controller-manager'),
    kubeScheduler: join(bin, 'kube-scheduler'),
    kubectl: join(bin, 'kubectl'),
    kwok: join(bin, 'kwok'),
    kwokStages: join(bin, '..', 'kwok', 'stages.yaml'),
  };
  return built;
}
