// Signals and queries, defined once for the workflows and every client (our CLI, `temporal`, UI).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClusterStatus, OperationStatus, TargetRequest } from './types.js';

/** `temporal workflow signal --name setTarget --input '{"replicas":8,"source":"me"}'` */
export const setTargetSignal = defineSignal<[TargetRequest]>('setTarget');

/**
 * The same request as an update: a bad payload is rejected to the caller at once by the validator
 * (nothing is recorded), and the caller gets the cluster's status back once it is accepted.
 */
export const setTargetUpdate = defineUpdate<ClusterStatus, [TargetRequest]>('requestTarget');

export const clusterStatusQuery = defineQuery<ClusterStatus>('status');
export const operationStatusQuery = defineQuery<OperationStatus>('status');
