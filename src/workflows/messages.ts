// Signals and queries, defined once for the workflows and every client (our CLI, `temporal`, UI).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClusterStatus, OperationStatus, TargetRequest } from './types.js';

/** `temporal workflow signal --name setTarget --input '{"replicas":8,"source":"me"}'` */
export const setTargetSignal = defineSignal<[TargetRequest]>('setTarget');

export const clusterStatusQuery = defineQuery<ClusterStatus>('status');
export const operationStatusQuery = defineQuery<OperationStatus>('status');
