// `npm run build` runs this after tsc.
import { buildWorkflowBundle, WORKFLOW_BUNDLE_PATH } from './workflow-bundle.js';

await buildWorkflowBundle();
console.log(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH}`);
