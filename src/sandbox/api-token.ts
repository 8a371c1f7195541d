// The bearer token a simulated Kubernetes API requires, and a file holding it for a config's
// kubernetes.tokenFile (removed again on close).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ApiToken {
  token: string;
  file: string;
  remove(): Promise<void>;
}

export async function createApiToken(token: string = randomUUID()): Promise<ApiToken> {
  const dir = await mkdtemp(join(tmpdir(), 'es-scaler-k8s-token-'));
  const file = join(dir, 'token');
  await writeFile(file, token, { mode: 0o600 });
  return { token, file, remove: () => rm(dir, { recursive: true, force: true }) };
}
