// The recordEvent activity against the sandbox's Kubernetes API, through the official client: the
// Event lands on the StatefulSet (uid included, so `kubectl describe` shows it), and a refused
// write is logged and swallowed instead of failing the operation.
import assert from 'node:assert/strict';
import { AppsV1Api, EventsV1Api } from '@kubernetes/client-node';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createEventActivities, EVENT_REASONS, REPORTING_CONTROLLER, type EventReason, type RecordEventResult, type ScalerEvent } from '../../src/activities/events.js';
import { defineConfig } from '../../src/config/load.js';
import { startSandbox, scenarios, type Sandbox } from '../../src/sandbox/index.js';
import { kubeConfigForServer } from '../../src/util/kube-config.js';

describe('Kubernetes Events (recordEvent)', () => {
  let sandbox: Sandbox;
  let connections: ClusterConnections;
  let logs: LogEntry[];
  let environment: MockActivityEnvironment;
  const scenario = scenarios['even-8']!;

  beforeEach(async () => {
    sandbox = await startSandbox(scenario);
    const config = defineConfig({
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'es-scaler' },
      clusters: {
        production: {
          kubernetes: { namespace: scenario.namespace, statefulSet: scenario.statefulSet, apiServer: sandbox.k8sUrl, tokenFile: sandbox.k8sTokenFile },
          elasticsearch: { url: sandbox.esUrl },
          minReplicas: 3,
          maxReplicas: 10,
        },
      },
    });
    connections = new ClusterConnections(config);
    logs = [];
    environment = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN', (entry) => logs.push(entry)) });
  });
  afterEach(async () => {
    await connections.close();
    await sandbox.close();
  });

  const recordEvent = (cluster: string, event: ScalerEvent) =>
    environment.run(createEventActivities(connections).recordEvent, cluster, event) as Promise<RecordEventResult>;
  const kubeConfig = () => kubeConfigForServer(sandbox.k8sUrl, { token: sandbox.k8sToken }, { name: 'test' });

  it('creates one Event per reason, regarding the StatefulSet by uid, readable through the events API', async () => {
    const reasons = Object.keys(EVENT_REASONS) as EventReason[];
    for (const reason of reasons) {
      const result = await recordEvent('production', { reason, message: `${reason} on es-data-7` });
      assert.equal(result.recorded, true, JSON.stringify(result));
    }
    const { items } = await kubeConfig().makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: scenario.namespace });
    const statefulSet = await kubeConfig().makeApiClient(AppsV1Api).readNamespacedStatefulSet({ name: scenario.statefulSet, namespace: scenario.namespace });
    assert.deepEqual(items.map((e) => e.reason), reasons);
    for (const event of items) {
      const expected = EVENT_REASONS[event.reason as EventReason];
      assert.equal(event.type, expected.type, event.reason);
      assert.equal(event.action, expected.action, event.reason);
      assert.equal(event.note, `${event.reason} on es-data-7`);
      assert.equal(event.reportingController, REPORTING_CONTROLLER);
      assert.ok(event.reportingInstance, 'reportingInstance names the worker');
      // The client hands MicroTime back as the wire's string, e.g. 2026-11-29T14:00:00.123000Z.
      assert.match(String(event.eventTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.ok(Math.abs(Date.now() - Date.parse(String(event.eventTime))) < 60_000, 'eventTime is now');
      assert.deepEqual({ ...event.regarding }, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: scenario.statefulSet,
        namespace: scenario.namespace,
        uid: statefulSet.metadata?.uid,
      });
    }
    assert.equal(new Set(items.map((e) => e.metadata?.name)).size, reasons.length, 'unique names');
    assert.deepEqual(logs, []);
  });

  it('cuts a long message to the API’s 1 kB limit for a note, and keeps an explicit type', async () => {
    const result = await recordEvent('production', { reason: 'DrainStalled', type: 'Normal', message: `stuck: ${'ä'.repeat(2000)}` });
    assert.equal(result.recorded, true, JSON.stringify(result));
    const [event] = sandbox.events() as { note: string; type: string }[];
    assert.ok(Buffer.byteLength(event!.note) <= 1024, `${Buffer.byteLength(event!.note)} bytes`);
    assert.match(event!.note, /^stuck: ä+…$/);
    assert.equal(event!.type, 'Normal');
  });

  it('swallows a 403 with a warning that names the missing grant, and records nothing', async () => {
    sandbox.faults.failNext('k8s', 2, 403);
    const result = await recordEvent('production', { reason: 'ScaleStarted', message: 'scale-in 8 → 6' });
    assert.equal(result.recorded, false);
    assert.match(result.recorded ? '' : result.error, /^HTTP 403\b.*grant the worker `create` on events\.k8s\.io events/);
    assert.deepEqual(sandbox.events(), []);
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.level, 'WARN');
    assert.match(logs[0]!.message, /Kubernetes Event not recorded \(best effort/);
    assert.equal(logs[0]!.meta?.reason, 'ScaleStarted');
  });

  it('swallows an unreachable API server and an unknown cluster too', async () => {
    await sandbox.close();
    const unreachable = await recordEvent('production', { reason: 'CleanupDone', message: 'removed es-data-7' });
    assert.equal(unreachable.recorded, false);
    const unknown = await recordEvent('nope', { reason: 'CleanupDone', message: 'removed es-data-7' });
    assert.match(unknown.recorded ? '' : unknown.error, /unknown cluster "nope"/);
    assert.equal(logs.length, 2);
  });
});
