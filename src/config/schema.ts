// The es-scaler config file: clusters, their guards and their schedules. One file is the single
// source of truth (F5); every schedule of a cluster obeys the cluster's minReplicas/maxReplicas.
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.js';
import { cronSpecProblem } from './cron.js';
import { clusterWorkflowId } from '../domain/cluster-identity.js';
import { MAX_REPLICAS, POLL_INTERVAL_BOUNDS, SCHEDULE_JITTER_BOUNDS, STALL_AFTER_BOUNDS } from './limits.js';
import { defaultPreflightPolicy, preflightPolicySchema } from './preflight-policy.js';

/** A duration within [min, max]: every accepted value must work (F9), so the range is checked here. */
const duration = (fallback: string, bounds: { min: number; max: number }) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms < 0 || (ms === 0 && bounds.min > 0)) {
        ctx.addIssue({ code: 'custom', message: `expected a duration like "500ms", "10s", "15m" or "1h", found "${text}"` });
        return z.NEVER;
      }
      if (ms < bounds.min || ms > bounds.max) {
        ctx.addIssue({ code: 'custom', message: `expected between ${formatDuration(bounds.min)} and ${formatDuration(bounds.max)}, found "${text}"` });
        return z.NEVER;
      }
      return ms;
    });

const replicaCount = z.number().int().min(0).max(MAX_REPLICAS);

/** An http(s) URL without credentials in it: secrets are referenced (auth), never written inline. */
const serviceUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).superRefine((url, ctx) => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed && (parsed.username || parsed.password)) {
    ctx.addIssue({ code: 'custom', message: 'expected a URL without credentials: reference them under auth (apiKeyEnv, usernameEnv+passwordEnv, ...)' });
  }
});

const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a Kubernetes name (lower case letters, digits and "-")');

const timezone = z.string().superRefine((tz, ctx) => {
  if (!isIanaTimezone(tz)) ctx.addIssue({ code: 'custom', message: `expected an IANA timezone like "Europe/Berlin", found "${tz}"` });
});

/** Where the Elasticsearch credentials live; the secret itself never appears in the file. */
const elasticsearchAuth = z.union([
  z.object({ apiKeyEnv: z.string().min(1) }).strict(),
  z.object({ apiKeyFile: z.string().min(1) }).strict(),
  z.object({ usernameEnv: z.string().min(1), passwordEnv: z.string().min(1) }).strict(),
  z.object({ usernameFile: z.string().min(1), passwordFile: z.string().min(1) }).strict(),
]);

/** The search engines es-scaler drives; the same workflow code runs for each. */
export const ENGINES = ['elasticsearch', 'opensearch'] as const;
export type Engine = (typeof ENGINES)[number];
export type EngineSetting = Engine | 'auto';

const scheduleSchema = z
  .object({
    name: k8sName,
    cron: z.string().superRefine((spec, ctx) => {
      const problem = cronSpecProblem(spec);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    timezone: timezone.default('UTC'),
    replicas: replicaCount,
    // No `paused` here: pausing is operational state, set with `es-scaler schedules pause` and kept
    // by `schedules apply` (see docs/operations.md), so the file never undoes an operator's pause.
  })
  .strict();

const clusterSchema = z
  .object({
    kubernetes: z
      .object({
        namespace: k8sName,
        statefulSet: k8sName,
        /**
         * An API server URL with a bearer token file (and optionally its CA). Without it the worker
         * uses its in-cluster service account, or KUBECONFIG with `context`.
         */
        apiServer: serviceUrl.optional(),
        tokenFile: z.string().min(1).optional(),
        caFile: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
      })
      .strict()
      .superRefine((k, ctx) => {
        if (k.apiServer && !k.tokenFile) {
          ctx.addIssue({ code: 'custom', path: ['tokenFile'], message: 'expected a token file with apiServer: es-scaler never talks to an API server without credentials' });
        }
        if (!k.apiServer && (k.tokenFile || k.caFile)) {
          ctx.addIssue({ code: 'custom', path: [k.tokenFile ? 'tokenFile' : 'caFile'], message: 'only used with apiServer; set apiServer too, or remove it' });
        }
        if (k.apiServer && k.context) {
          ctx.addIssue({ code: 'custom', path: ['context'], message: 'expected either apiServer (with tokenFile) or a kubeconfig context, not both' });
        }
      }),
    elasticsearch: z
      .object({
        url: serviceUrl,
        auth: elasticsearchAuth.optional(),
        caFile: z.string().optional(),
      })
      .strict(),
    minReplicas: replicaCount.min(1),
    maxReplicas: replicaCount.min(1),
    exclusionAttribute: z.enum(['_name', '_ip']).default('_name'),
    /** What the pre-flight before each node's drain refuses, warns about or allows (README: "Pre-flight"). */
    preflight: preflightPolicySchema,
    /**
     * Deprecated alias of preflight.awareness and preflight.zoneEmpties: refuse sets both to refuse, allow sets
     * both to warn (the drain is tried, the finding shown). Kept so existing files keep their meaning.
     */
    awarenessPolicy: z
      .enum(['refuse', 'allow'])
      .optional()
      .meta({ deprecated: true, description: 'Deprecated: use preflight.awareness and preflight.zoneEmpties (refuse sets both to refuse, allow to warn).' }),
    /** Remove unowned exclusions of this StatefulSet's pods at the start of an operation. */
    sweepStaleExclusions: z.boolean().default(false),
    pollInterval: duration('10s', POLL_INTERVAL_BOUNDS),
    stallAfter: duration('15m', STALL_AFTER_BOUNDS),
    schedules: z.array(scheduleSchema).default([]),
    /** Every schedule run starts up to this much later, at random: 1,000 clusters do not start in the same second. */
    scheduleJitter: duration('30s', SCHEDULE_JITTER_BOUNDS),
    /** auto: detected from `GET /` (version.distribution "opensearch" is OpenSearch, anything else Elasticsearch). */
    engine: z.enum(['auto', ...ENGINES]).default('auto'),
    /** exclude: allocation exclusion by node; shutdown: the node-shutdown API (Elasticsearch 7.15+), which ECK uses. */
    drainMethod: z.enum(['exclude', 'shutdown']).default('exclude'),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    if (cluster.stallAfter < 2 * cluster.pollInterval) {
      ctx.addIssue({
        code: 'custom',
        path: ['stallAfter'],
        message: `expected at least twice pollInterval (${formatDuration(2 * cluster.pollInterval)}) so a stall is seen over more than one poll, found ${formatDuration(cluster.stallAfter)}`,
      });
    }
    if (cluster.drainMethod === 'shutdown' && cluster.engine === 'opensearch') {
      ctx.addIssue({
        code: 'custom',
        path: ['drainMethod'],
        message: 'expected "exclude" for engine "opensearch": OpenSearch has no node-shutdown API',
      });
    }
    if (cluster.awarenessPolicy !== undefined && (['awareness', 'zoneEmpties'] as const).some((k) => cluster.preflight[k] !== defaultPreflightPolicy[k])) {
      ctx.addIssue({
        code: 'custom',
        path: ['awarenessPolicy'],
        message: 'deprecated alias of preflight.awareness and preflight.zoneEmpties: set those, not both (remove awarenessPolicy)',
      });
    }
    if (cluster.minReplicas > cluster.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['minReplicas'],
        message: `expected at most maxReplicas (${cluster.maxReplicas}), found ${cluster.minReplicas}`,
      });
    }
    cluster.schedules.forEach((schedule, i) => {
      if (schedule.replicas < cluster.minReplicas || schedule.replicas > cluster.maxReplicas) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedules', i, 'replicas'],
          message: `expected between minReplicas (${cluster.minReplicas}) and maxReplicas (${cluster.maxReplicas}), found ${schedule.replicas}`,
        });
      }
      if (cluster.schedules.findIndex((s) => s.name === schedule.name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['schedules', i, 'name'], message: `duplicate schedule name "${schedule.name}"` });
      }
    });
  })
  .transform(({ awarenessPolicy, ...cluster }) => {
    if (awarenessPolicy === undefined) return cluster;
    const meaning = awarenessPolicy === 'refuse' ? ('refuse' as const) : ('warn' as const);
    return { ...cluster, preflight: { ...cluster.preflight, awareness: meaning, zoneEmpties: meaning } };
  });

/**
 * How much the worker process takes on at once (docs/design.md → Performance). The defaults serve
 * 1,000 clusters scaling in the same minute from one worker: waiting activities (drain, pod, join
 * and health watches) sleep between polls on their own task queue with their own, large budget,
 * so they never hold a slot that a cleanup or a write needs.
 */
const WORKER_DEFAULTS = { workflowTaskSlots: 40, workflowTaskPollers: 10, activitySlots: 100, activityTaskPollers: 10, watchSlots: 2_000, stickyCacheSize: 2_500 };
const workerTuning = z
  .object({
    /** Workflow tasks run at once. */
    workflowTaskSlots: z.number().int().min(2).default(WORKER_DEFAULTS.workflowTaskSlots),
    workflowTaskPollers: z.number().int().min(2).default(WORKER_DEFAULTS.workflowTaskPollers),
    /** Reads and writes (pre-flight, exclude, resize, cleanup) run at once. */
    activitySlots: z.number().int().min(1).default(WORKER_DEFAULTS.activitySlots),
    activityTaskPollers: z.number().int().min(1).default(WORKER_DEFAULTS.activityTaskPollers),
    /** Waiting activities at once: each is an HTTP poll now and then, asleep in between. */
    watchSlots: z.number().int().min(1).default(WORKER_DEFAULTS.watchSlots),
    /** Workflows kept in memory between their tasks (no replay of their history on the next one). */
    stickyCacheSize: z.number().int().min(0).default(WORKER_DEFAULTS.stickyCacheSize),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.workflowTaskPollers > w.workflowTaskSlots) {
      ctx.addIssue({ code: 'custom', path: ['workflowTaskPollers'], message: `expected at most workflowTaskSlots (${w.workflowTaskSlots}), found ${w.workflowTaskPollers}` });
    }
    if (w.activityTaskPollers > w.activitySlots) {
      ctx.addIssue({ code: 'custom', path: ['activityTaskPollers'], message: `expected at most activitySlots (${w.activitySlots}), found ${w.activityTaskPollers}` });
    }
  });

export const configSchema = z
  .object({
    temporal: z
      .object({
        address: z.string().default('127.0.0.1:7233'),
        namespace: z.string().default('default'),
        taskQueue: z.string().default('es-scaler'),
      })
      .strict()
      .default({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'es-scaler' }),
    worker: workerTuning.default(WORKER_DEFAULTS),
    clusters: z
      .record(k8sName, clusterSchema)
      .refine((clusters) => Object.keys(clusters).length > 0, { message: 'expected at least one cluster' })
      .superRefine((clusters, ctx) => {
        const seen = new Map<string, string>();
        for (const [name, cluster] of Object.entries(clusters)) {
          if (cluster.kubernetes.apiServer && !URL.canParse(cluster.kubernetes.apiServer)) continue; // reported on the field
          const key = clusterWorkflowId(cluster.kubernetes);
          const first = seen.get(key);
          if (first) {
            ctx.addIssue({
              code: 'custom',
              path: [name, 'kubernetes'],
              message: `the same StatefulSet as clusters.${first} (workflow ${key}): two entries would scale one StatefulSet; remove one, or set apiServer/context to tell the Kubernetes clusters apart`,
            });
          } else seen.set(key, name);
        }
      }),
  })
  .strict();


export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type ClusterConfig = Config['clusters'][string];
export type ScheduleConfig = ClusterConfig['schedules'][number];
export type WorkerTuning = Config['worker'];

/** IANA names as spelled in the database: Intl also accepts "europe/berlin", Temporal's schedules do not. */
function isIanaTimezone(tz: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    const differsOnlyInCase = resolved !== tz && resolved.toLowerCase() === tz.toLowerCase();
    return (tz.includes('/') || tz === 'UTC') && !differsOnlyInCase;
  } catch {
    return false;
  }
}
