import middy from '@middy/core';
import { SlbcError } from '../../shared/errors.js';

// Placeholder until the ingest issue lands; wired so that packaging and routing can be tested.
export const handler = middy().handler(async () => {
  throw new SlbcError('ingest: not implemented yet');
});
