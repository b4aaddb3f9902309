'use strict';
/**
 * Reads INGEST_FILTER_PATTERN from shared/k8s/audit-filter.ts while `serverless package` runs.
 * The pattern is built from the same tables the ingest function filters with, so it must not
 * be copied into serverless.yml by hand. The Framework loads variable files with require(),
 * which cannot read TypeScript: esbuild bundles the module in memory and Node imports the
 * result from a data: URL. Nothing touches the network or the disk.
 */
const path = require('node:path');

const SOURCE = path.join(__dirname, '..', '..', 'shared', 'k8s', 'audit-filter.ts');

let loading;

async function loadModule() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [SOURCE],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  const url = `data:text/javascript;base64,${Buffer.from(output.text).toString('base64')}`;
  return import(url);
}

/** The pattern text, checked against the 1024-character limit PutSubscriptionFilter enforces. */
async function ingestFilterPattern() {
  loading ??= loadModule();
  const module = await loading;
  const pattern = module.INGEST_FILTER_PATTERN;
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new Error(`${SOURCE} does not export INGEST_FILTER_PATTERN as a string`);
  }
  if (pattern.length > module.FILTER_PATTERN_MAX_LENGTH) {
    throw new Error(`INGEST_FILTER_PATTERN is ${pattern.length} characters; CloudWatch Logs allows 1024`);
  }
  return pattern;
}

module.exports = { ingestFilterPattern };
