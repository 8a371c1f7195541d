// `es-scaler plan` is a dry run: through the real CLI process, against the sandbox, it reads and
// predicts, and the cluster is exactly as before, with not one write request.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { runCli } from '../helpers/cli.js';
import { tightDisks } from '../helpers/topologies.js';
import { worldPerTest, type World } from '../helpers/world.js';

describe('plan', function () {
  const startWorld = worldPerTest();

  const snapshot = (w: World) =>
    JSON.stringify({
      replicas: w.sandbox.replicas(),
      pods: w.sandbox.pods().map((p) => p.name).sort(),
      settings: w.sandbox.settings(),
      shards: w.sandbox.shards().map((s) => `${s.index}/${s.shard}/${s.prirep}@${s.node}`).sort(),
    });
  const writes = (w: World) => w.sandbox.requests.filter((r) => r.method !== 'GET').length;

  it('changes nothing; shows the pods that would go with their pre-flight, and the stale exclusions', async () => {
    const leftover = { persistent: { 'cluster.routing.allocation.exclude._name': 'es-data-2,es-data-9' } };
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, settings: leftover }, cluster: { sweepStaleExclusions: true } });
    const configFile = await world.writeConfigFile();
    const before = snapshot(world);
    const readsBefore = world.sandbox.requests.length;

    const result = await runCli(['plan', 'production', '6', '--config', configFile]);
    assert.equal(result.code, 4, `exit 4: proceeds with warnings (the operator's es-data-2 exclusion stays): ${result.stderr}`);
    assert.match(result.stdout, /stale exclusions stay in force \(not swept\): _name:es-data-2/);
    const out = result.stdout;
    assert.match(out, /replicas: 8 now → 6 \(scale-in by 2\)/);
    assert.match(out, /^\s+POD\s+ZONE\s+PRE-FLIGHT\s+POLICY\s+TO MOVE\s+FREE BELOW HIGH WATERMARK\s+FULLEST AFTER\s+DETAIL$/m);
    assert.match(out, /^\s+es-data-7\s+eu-central-1b\s+ok\s+proceeds\s+[\d.]+mb \(2\)\s+eu-central-1a [\d.]+gb, eu-central-1b [\d.]+gb, eu-central-1c [\d.]+gb\s+es-data-\d [\d.]+%\s+es-data-7 can be drained: 2 copies \([\d.]+mb\) to move/m);
    assert.match(out, /^\s+es-data-6\s+eu-central-1a\s+ok\s+proceeds\s+.*es-data-6 can be drained/m);
    assert.ok(out.indexOf('es-data-7 ') < out.indexOf('es-data-6 '), 'highest ordinal first');
    assert.match(out, /_name:es-data-9 \(stale: owned by no operation; swept at the start, sweepStaleExclusions is on\)/);
    assert.match(out, /_name:es-data-2 \(stale: owned by no operation\)$/m, 'an exclusion of a live pod is never swept');
    assert.match(out, /running:\s+no operation/);
    assert.match(out, /verdict:\s+would proceed: drain and remove es-data-7, es-data-6/);

    assert.ok(world.sandbox.requests.length > readsBefore, 'it did read the cluster');
    assert.equal(writes(world), 0, 'no write request reached Kubernetes or Elasticsearch');
    assert.equal(snapshot(world), before);
  });

  it('the incident: prints the refusal, es-data-6 being the last node in eu-central-1a', async () => {
    const world = await startWorld({ scenario: scenarios.incident! });
    const configFile = await world.writeConfigFile();
    const before = snapshot(world);

    const result = await runCli(['plan', 'production', '5', '--config', configFile]);
    assert.equal(result.code, 5, 'exit 5: it would not reach the target');
    const out = result.stdout;
    assert.match(out, /replicas: 7 now → 5/);
    assert.match(out, /^\s+es-data-6\s+eu-central-1a\s+blocked\s+REFUSED\s+.*es-data-6 blocked: awareness: \d+ copies \([\d.]+mb\) cannot leave es-data-6: \[\w+\]\[\d\] awareness allows 1 of the 3 copies in zone eu-central-1[bc]/m);
    assert.match(out, /^\s+es-data-5\s+eu-central-1c\s+\S+\s+not reached/m);
    assert.match(out, /verdict:\s+REFUSED at es-data-6: the pre-flight stops the operation before excluding es-data-6 \(preflight\.awareness "refuse"\)/);
    assert.equal(writes(world), 0);
    assert.equal(snapshot(world), before);

    const wide = await runCli(['plan', 'production', '5', '-o', 'wide', '--config', configFile]);
    assert.equal(wide.code, 5);
    assert.match(wide.stdout, /^\s+POD\s+ZONE\s+PRE-FLIGHT\s+POLICY\s+TO MOVE\s+FREE BELOW HIGH WATERMARK\s+FULLEST AFTER\s+STUCK COPIES\s+DETAIL$/m);
    assert.match(wide.stdout, /^ {4}zoneEmpties \(warns\): es-data-6 is the last data node in zone eu-central-1a/m);
    assert.match(wide.stdout, /^ {4}after: es-data-\d \(eu-central-1[bc]\) [\d.]+mb of 100gb used \([\d.]+%\), the high watermark keeps 10gb free$/m);

    const json = await runCli(['plan', 'production', '6', '--json', '--config', configFile]);
    assert.equal(json.code, 5, json.stderr);
    const plan = JSON.parse(json.stdout) as { stop: { pod: string; kind: string }; drains: { pod: string; zone: string; preflight: { verdict: string } }[] };
    assert.deepEqual(plan.stop && { pod: plan.stop.pod, kind: plan.stop.kind }, { pod: 'es-data-6', kind: 'refused' });
    assert.deepEqual(plan.drains.map((d) => [d.pod, d.zone, d.preflight.verdict]), [['es-data-6', 'eu-central-1a', 'blocked']]);
  });

  it('disk: predicts the refusal with the numbers (bytes to move, free bytes per zone below the watermark, disk use after)', async () => {
    const world = await startWorld({ scenario: tightDisks, cluster: { minReplicas: 3 } });
    const result = await runCli(['plan', 'production', '5', '-o', 'wide', '--config', await world.writeConfigFile()]);
    assert.equal(result.code, 5, 'exit 5: it would not reach the target');
    const out = result.stdout;
    assert.match(out, /^\s+es-data-5\s+c\s+blocked\s+REFUSED\s+2gb \(2\)\s+a 0b, b 0b, c 0b\s+es-data-\d 20%\s+2\s+es-data-5 blocked: disk: 2 copies \(2gb\) cannot leave es-data-5: \[logs\]\[\d\] es-data-\d would have 7gb free, below the 8gb the high watermark and margin keep; 2 copies \(2gb\) to move$/m);
    assert.match(out, /verdict:\s+REFUSED at es-data-5: .*\(preflight\.disk "refuse"\)/);
    assert.match(out, /^ {4}after: es-data-0 \(a\) 2gb of 10gb used \(20%\), the high watermark keeps 7\.5gb free$/m);
    assert.equal(writes(world), 0);
  });

  it('names the running operation, whose exclusion is not called stale', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    world.sandbox.faults.stallRelocations(true); // keep the drain in progress
    await world.startWorker();
    await world.submit(7);
    const running = await world.runningOperation((s) => s.phase === 'draining');
    const result = await runCli(['plan', 'production', '6', '--config', await world.writeConfigFile()]);
    assert.equal(result.code, 4, 'exit 4: it would proceed, with a warning');
    assert.match(result.stdout, new RegExp(`running:\\s+${running.workflowId} \\(a new target supersedes it\\)`));
    assert.match(result.stdout, new RegExp(`^  warning:  the running operation ${running.workflowId} would be superseded$`, 'm'));
    assert.match(result.stdout, /_name:es-data-7 \(may belong to the running operation\)/);
    world.sandbox.faults.stallRelocations(false);
  });

  it('a target outside the guards is bad input: exit 2, the field named, nothing read', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    const configFile = await world.writeConfigFile();
    const result = await runCli(['plan', 'production', '2', '--config', configFile]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'es-scaler: replicas: expected at least minReplicas (3), found 2');
    assert.equal(world.sandbox.requests.length, 0);
  });
});
