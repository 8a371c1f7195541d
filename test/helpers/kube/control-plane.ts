// A real Kubernetes control plane on loopback for the test world: etcd, kube-apiserver (RBAC,
// service-account tokens, a JSON audit log), kube-controller-manager (the real StatefulSet
// controller), kube-scheduler and kwok, which plays the kubelets of fake nodes in three zones.
// Everything listens on free loopback ports under a fresh temporary folder; stop() ends every
// process it started (also after a failed start).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { freePort } from '../../../src/util/ports.js';
import { eventually } from '../eventually.js';
import { kubernetesBinaries } from './binaries.js';
import { Component } from './component.js';
import { generatePki, type Identity, type Pki } from './pki.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** The annotation kwok is told to look for: nodes carrying it are kwok's to play. */
const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
const HOST = '127.0.0.1';

export interface ControlPlaneOptions {
  /** One fake node per zone; default eu-central-1a, -1b, -1c (the sandbox's zones). */
  zones?: string[];
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  host: string;
  port: number;
  caFile: string;
  /** A kubeconfig file with cluster-admin rights (system:masters), e.g. for kubectl. */
  adminKubeconfig: string;
  /** The same, loaded, for @kubernetes/client-node. */
  admin: KubeConfig;
  /** Fake node names by zone. */
  nodes: Record<string, string>;
  auditLog: string;
  dir: string;
  kubectl: string;
  /** Seconds from the first process started to the nodes Ready. */
  startSeconds: number;
  /** Resident memory of every control-plane process, in bytes. */
  rssBytes(): number;
  /** The process ids (each the leader of its own process group). */
  pids(): number[];
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const zones = options.zones ?? ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];
  const bin = kubernetesBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'es-scaler-k8s-'));
  const components: Component[] = [];
  const stop = async () => {
    for (const component of [...components].reverse()) await component.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    const pki = generatePki(dir);
    const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const server = `https://${HOST}:${apiPort}`;

    const etcd = Component.start('etcd', bin.etcd, etcdArgs(dir, etcdPort, etcdPeerPort), dir);
    components.push(etcd);
    const auditLog = join(dir, 'audit.log');
    const apiserver = Component.start('kube-apiserver', bin.kubeApiserver, apiserverArgs(dir, pki, apiPort, etcdPort, auditLog), dir);
    components.push(apiserver);

    const adminKubeconfig = writeKubeconfig(dir, 'admin', server, pki.ca.cert, pki.clients.admin);
    const admin = new KubeConfig();
    admin.loadFromFile(adminKubeconfig);
    const core = admin.makeApiClient(CoreV1Api);
    await eventually(
      'kube-apiserver ready',
      async () => {
        for (const c of [etcd, apiserver]) if (!c.running) throw new Error(`${c.name} exited:\n${c.tail()}`);
        return (await core.listNamespace({ limit: 1 })).items.length > 0;
      },
      60_000,
      200,
    );

    const kcmKubeconfig = writeKubeconfig(dir, 'controller-manager', server, pki.ca.cert, pki.clients.controllerManager);
    components.push(Component.start('kube-controller-manager', bin.kubeControllerManager, controllerManagerArgs(pki, kcmKubeconfig, await freePort()), dir));
    const schedulerKubeconfig = writeKubeconfig(dir, 'scheduler', server, pki.ca.cert, pki.clients.scheduler);
    components.push(Component.start('kube-scheduler', bin.kubeScheduler, schedulerArgs(pki, schedulerKubeconfig, await freePort()), dir));
    const kwokKubeconfig = writeKubeconfig(dir, 'kwok', server, pki.ca.cert, pki.clients.kwok);
    const kwokConfig = writeKwokConfig(dir, bin.kwokStages, zones.length);
    components.push(Component.start('kwok', bin.kwok, kwokArgs(kwokKubeconfig, kwokConfig), dir));

    const nodes: Record<string, string> = {};
    for (const [i, zone] of zones.entries()) {
      nodes[zone] = `kwok-node-${i}`;
      await core.createNode({ body: fakeNode(nodes[zone]!, zone) });
    }
    await eventually(
      `${zones.length} Ready nodes`,
      async () => {
        for (const c of components) if (!c.running) throw new Error(`${c.name} exited:\n${c.tail()}`);
        const list = await core.listNode();
        return list.items.filter(isReady).length === zones.length;
      },
      60_000,
      200,
    );
    return {
      server,
      host: HOST,
      port: apiPort,
      caFile: pki.ca.cert,
      adminKubeconfig,
      admin,
      nodes,
      auditLog,
      dir,
      kubectl: bin.kubectl,
      startSeconds: (Date.now() - started) / 1000,
      rssBytes: () => components.reduce((sum, c) => sum + c.rssBytes(), 0),
      pids: () => components.map((c) => c.child.pid!),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function etcdArgs(dir: string, port: number, peerPort: number): string[] {
  const client = `http://${HOST}:${port}`;
  const peer = `http://${HOST}:${peerPort}`;
  return [
    '--name=test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=test=${peer}`,
    '--log-level=warn',
    // a throw-away store: no fsync, so the tests do not wait on the disk
    '--unsafe-no-fsync',
  ];
}

function apiserverArgs(dir: string, pki: Pki, port: number, etcdPort: number, auditLog: string): string[] {
  // Every request made with a service-account token (the worker, the controllers) is audited.
  const auditPolicy = join(dir, 'audit-policy.yaml');
  writeFileSync(
    auditPolicy,
    [
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'omitStages: [RequestReceived]',
      'rules:',
      '  - level: Metadata',
      '    userGroups: ["system:serviceaccounts"]',
      '  - level: None',
      '',
    ].join('\n'),
  );
  return [
    `--etcd-servers=http://${HOST}:${etcdPort}`,
    `--bind-address=${HOST}`,
    `--advertise-address=${HOST}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.apiserver.cert}`,
    `--tls-private-key-file=${pki.apiserver.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    '--authorization-mode=RBAC,Node',
    '--service-cluster-ip-range=10.96.0.0/16',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    // No kubelet runs the "kubernetes" Service's endpoints on loopback; nothing needs them.
    '--endpoint-reconciler-type=none',
    `--audit-policy-file=${auditPolicy}`,
    `--audit-log-path=${auditLog}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
    `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
    `--proxy-client-key-file=${pki.frontProxyClient.key}`,
    '--v=0',
  ];
}

/** What the controller-manager and the scheduler share: who they are, and how they check callers. */
function componentArgs(pki: Pki, kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--client-ca-file=${pki.ca.cert}`,
    `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
    `--bind-address=${HOST}`,
    `--secure-port=${port}`,
    '--leader-elect=false',
    '--v=0',
  ];
}

function controllerManagerArgs(pki: Pki, kubeconfig: string, port: number): string[] {
  return [
    ...componentArgs(pki, kubeconfig, port),
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    '--cluster-cidr=10.244.0.0/16',
  ];
}

function schedulerArgs(pki: Pki, kubeconfig: string, port: number): string[] {
  return componentArgs(pki, kubeconfig, port);
}

function kwokArgs(kubeconfig: string, config: string): string[] {
  return [`--kubeconfig=${kubeconfig}`, `--config=${config}`];
}

/**
 * kwok's configuration. Given a --config, kwok fills in no defaults: which nodes it plays, how many
 * leases it renews at once and the stages (its own "fast" set, from its module) are all set here.
 */
function writeKwokConfig(dir: string, stagesFile: string, nodes: number): string {
  const file = join(dir, 'kwok.yaml');
  const options = [
    'apiVersion: config.kwok.x-k8s.io/v1alpha1',
    'kind: KwokConfiguration',
    'options:',
    '  manageAllNodes: false',
    `  manageNodesWithAnnotationSelector: ${KWOK_NODE_ANNOTATION}=fake`,
    '  cidr: 10.244.0.0/16',
    `  nodeIP: ${HOST}`,
    `  nodeLeaseDurationSeconds: 40`,
    `  nodeLeaseParallelism: ${Math.max(nodes, 4)}`,
    '  nodePlayStageParallelism: 4',
    '  podPlayStageParallelism: 4',
    '',
  ].join('\n');
  writeFileSync(file, options + readFileSync(stagesFile, 'utf8'));
  return file;
}

function fakeNode(name: string, zone: string): V1Node {
  return {
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', [ZONE_LABEL]: zone, type: 'kwok' },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  };
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function writeKubeconfig(dir: string, name: string, server: string, caFile: string, user: Identity): string {
  const file = join(dir, `${name}.kubeconfig`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name, user: { 'client-certificate': user.cert, 'client-key': user.key } }],
    contexts: [{ name, context: { cluster: 'test', user: name } }],
    'current-context': name,
  };
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
  return file;
}
