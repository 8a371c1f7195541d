// The workflows the worker registers.
export { clusterWorkflow } from './cluster.js';
export { scaleOperation } from './scale-operation.js';
export { requestScale } from './request-scale.js';
