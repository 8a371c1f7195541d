// Certificates and keys for a throw-away control plane, made with the openssl CLI: one cluster CA
// (serving and client certificates), a front-proxy CA (request-header authentication, which the
// controller-manager and scheduler expect to find) and the service-account signing key pair.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Identity {
  cert: string;
  key: string;
}

export interface Pki {
  ca: Identity;
  frontProxyCa: Identity;
  apiserver: Identity;
  frontProxyClient: Identity;
  /** Client certificates by component: admin (system:masters), controller-manager, scheduler, kwok. */
  clients: Record<'admin' | 'controllerManager' | 'scheduler' | 'kwok', Identity>;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

const DAYS = '2';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKeyArgs(keyFile: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}

function certificateAuthority(dir: string, name: string): Identity {
  const id = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl(dir, ['req', '-x509', ...newKeyArgs(id.key), '-out', id.cert, '-days', DAYS, '-subj', `/CN=${name}`]);
  return id;
}

/** A leaf certificate signed by `ca`; `subject` like `/O=system:masters/CN=admin`. */
function leaf(dir: string, ca: Identity, name: string, subject: string, usage: 'serverAuth' | 'clientAuth', altNames: string[] = []): Identity {
  const id = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const config = join(dir, `${name}.cnf`);
  const extensions = ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', `extendedKeyUsage = ${usage}`];
  if (altNames.length > 0) extensions.push(`subjectAltName = ${altNames.join(',')}`);
  writeFileSync(config, ['[req]', 'distinguished_name = dn', '[dn]', '[leaf]', ...extensions, ''].join('\n'));
  openssl(dir, ['req', '-x509', '-config', config, '-extensions', 'leaf', '-CA', ca.cert, '-CAkey', ca.key, ...newKeyArgs(id.key), '-out', id.cert, '-days', DAYS, '-subj', subject]);
  return id;
}

export function generatePki(dir: string): Pki {
  const ca = certificateAuthority(dir, 'ca');
  const frontProxyCa = certificateAuthority(dir, 'front-proxy-ca');
  const serviceAccountKey = join(dir, 'sa.key');
  const serviceAccountPub = join(dir, 'sa.pub');
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', serviceAccountKey]);
  openssl(dir, ['ec', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPub]);
  const client = (name: string, subject: string) => leaf(dir, ca, name, subject, 'clientAuth');
  return {
    ca,
    frontProxyCa,
    apiserver: leaf(dir, ca, 'apiserver', '/CN=kube-apiserver', 'serverAuth', [
      'IP:127.0.0.1',
      'DNS:localhost',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
    ]),
    frontProxyClient: leaf(dir, frontProxyCa, 'front-proxy-client', '/CN=front-proxy-client', 'clientAuth'),
    clients: {
      admin: client('admin', '/O=system:masters/CN=kubernetes-admin'),
      controllerManager: client('controller-manager', '/CN=system:kube-controller-manager'),
      scheduler: client('scheduler', '/CN=system:kube-scheduler'),
      kwok: client('kwok', '/O=system:masters/CN=kwok'),
    },
    serviceAccountKey,
    serviceAccountPub,
  };
}
