import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileStages, execForm, lintDockerfile, type DockerfileStage } from '../../src/deploy-check/dockerfile.js';
import { imagePinProblem } from '../../src/deploy-check/compose.js';
import { packageRoot } from '../../src/util/paths.js';

describe('deploy/Dockerfile', () => {
  const text = readFileSync(join(packageRoot, 'deploy', 'Dockerfile'), 'utf8');
  const stages = dockerfileStages(text);
  const runtime = stages[stages.length - 1]!;
  const args = (stage: DockerfileStage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('passes the Dockerfile linter', () => {
    assert.deepEqual(lintDockerfile(text), []);
    assert.ok(lintDockerfile('FROM node:20\nRUNN true\nEXPOSE http\n').length >= 2, 'the linter reports problems');
  });

  it('builds every stage from the same pinned glibc image of a supported Node.js LTS that package.json allows', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.equal(new Set(stages.map((s) => s.image)).size, 1, 'one base image');
    const engines = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const [, minMajor] = /^>=(\d+)/.exec(engines) ?? [];
    for (const stage of stages) {
      assert.equal(imagePinProblem(stage.image), undefined, `stage ${stage.name ?? '?'}`);
      const [, major] = /^node:(\d+)\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/.exec(stage.image) ?? [];
      // 20 reached its end of life in April 2026; 22 and 24 are the maintained LTS lines.
      assert.ok(major === '22' || major === '24', `stage ${stage.name ?? '?'} uses ${stage.image}`);
      assert.ok(Number(major) >= Number(minMajor), `${stage.image} satisfies engines ${engines}`);
    }
  });

  it('says in deploy/README.md which base image it uses', () => {
    const readme = readFileSync(join(packageRoot, 'deploy', 'README.md'), 'utf8');
    const image = runtime.image.split('@')[0]!;
    assert.ok(readme.includes(`\`${image}\``), `deploy/README.md names ${image}`);
  });

  it('compiles and bundles in a build stage with dev dependencies', () => {
    const build = stages.find((s) => s.name === 'build');
    assert.ok(build);
    const runs = args(build, 'RUN');
    assert.ok(runs.some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev')), 'full npm ci');
    assert.ok(runs.includes('npm run build'), '`npm run build` compiles and writes the workflow bundle');
  });

  it('ships only production node_modules, the compiled sources and the workflow bundle', () => {
    const copies = args(runtime, 'COPY');
    const fromStage = (name: string) => copies.filter((c) => c.startsWith(`--from=${name} `));
    const modulesFrom = copies.find((c) => / \.\/node_modules$/.test(c))?.match(/^--from=(\S+) /)?.[1];
    assert.ok(modulesFrom, 'node_modules is copied from a stage');
    const depsStage = stages.find((s) => s.name === modulesFrom)!;
    assert.deepEqual(args(depsStage, 'RUN').filter((r) => r.startsWith('npm ')), ['npm ci --omit=dev --no-audit --no-fund']);
    assert.deepEqual(fromStage('build').sort(), ['--from=build /app/lib/src ./lib/src', '--from=build /app/lib/workflow-bundle.js ./lib/workflow-bundle.js']);
    assert.ok(!args(runtime, 'RUN').some((r) => r.includes('npm')), 'no npm install in the runtime stage');
  });

  it('runs the worker as a non-root numeric user in production mode', () => {
    const users = args(runtime, 'USER');
    assert.equal(users.length, 1);
    assert.match(users[0]!, /^[1-9]\d*(:\d+)?$/, 'numeric USER (runAsNonRoot can check it)');
    assert.equal(users[0]!.split(':')[0], '10001');
    assert.ok(args(runtime, 'ENV').includes('NODE_ENV=production'));
    assert.deepEqual(args(runtime, 'EXPOSE').join(' ').split(/\s+/).sort(), ['8080', '9464']);
    const cmd = args(runtime, 'CMD');
    assert.equal(cmd.length, 1);
    assert.deepEqual(execForm(cmd[0]!), ['node', 'lib/src/worker/main.js'], 'exec-form CMD, so node gets SIGTERM');
    assert.deepEqual(args(runtime, 'ENTRYPOINT'), []);
  });

  it('keeps local build output and secrets out of the build context', () => {
    const ignored = readFileSync(join(packageRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'lib', '.git', '.env']) assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
    for (const entry of ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts']) {
      assert.ok(!ignored.some((i) => i === entry || i === `${entry}/`), `.dockerignore keeps ${entry}`);
    }
  });
});
