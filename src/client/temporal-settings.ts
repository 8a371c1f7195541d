// Where the CLI finds Temporal, shared with the `temporal` CLI: the same profile file
// (TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml; profile from --profile or
// TEMPORAL_PROFILE) and the same environment variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
// TEMPORAL_API_KEY, TEMPORAL_TLS_*), read through the SDK's envconfig.
// Precedence, highest first: flags, environment, profile file, the es-scaler config file's
// `temporal` section. The worker's own TEMPORAL_TLS_CERT/KEY/CA variables are honoured too.
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { InputError } from '../domain/input-error.js';
import { temporalTarget } from '../temporal/connection-target.js';

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  profile?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
}

export interface CliTemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  connection: ConnectionOptions;
}

export function cliTemporalTarget(config: Config, flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): CliTemporalTarget {
  const profile = readProfile(flags.profile, env);
  const merged: ClientConfigProfile = {
    ...profile,
    address: flags.address ?? profile.address ?? config.temporal.address,
    namespace: flags.namespace ?? profile.namespace ?? config.temporal.namespace,
    tls: tlsSettings(profile.tls, flags),
  };
  const { connectionOptions, namespace } = toClientOptions(merged);
  // The worker's variable names (deploy/README.md): when set, they describe the same mTLS files.
  const workerTls = env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA ? temporalTarget(config, env).connection.tls : undefined;
  const address = merged.address!;
  return {
    address,
    namespace: namespace ?? config.temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? config.temporal.taskQueue,
    connection: { ...connectionOptions, address, ...(workerTls && { tls: workerTls }) } as ConnectionOptions,
  };
}

function readProfile(name: string | undefined, env: NodeJS.ProcessEnv): ClientConfigProfile {
  try {
    return loadClientConfigProfile({ ...(name && { profile: name }), overrideEnvVars: env as Record<string, string> });
  } catch (err) {
    const file = env.TEMPORAL_CONFIG_FILE ?? '~/.config/temporalio/temporal.toml';
    throw new InputError(`--profile: ${(err as Error).message} (profile file ${file})`);
  }
}

function tlsSettings(fromProfile: ClientConfigProfile['tls'], flags: TemporalFlags): ClientConfigProfile['tls'] {
  const any = flags.tls !== undefined || flags.tlsCertPath || flags.tlsKeyPath || flags.tlsCaPath || flags.tlsServerName;
  if (!any) return fromProfile;
  if (!flags.tlsCertPath !== !flags.tlsKeyPath && !(fromProfile?.clientCert && fromProfile.clientKey)) {
    throw new InputError('--tls-cert-path and --tls-key-path: give both for mTLS, or neither');
  }
  return {
    ...fromProfile,
    disabled: flags.tls === false,
    ...(flags.tlsCertPath && { clientCert: { path: flags.tlsCertPath } }),
    ...(flags.tlsKeyPath && { clientKey: { path: flags.tlsKeyPath } }),
    ...(flags.tlsCaPath && { serverCACert: { path: flags.tlsCaPath } }),
    ...(flags.tlsServerName && { serverName: flags.tlsServerName }),
  };
}
