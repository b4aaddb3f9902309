import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './package.js';

/**
 * The AWS API operations a function's bundle can call: the SDK v3 command modules esbuild
 * keeps after tree shaking, read from its metafile. The template tests compare them with the
 * function's IAM role, so a new SDK call without its permission fails offline, not in AWS.
 */

/** SDK client package -> IAM service prefix */
const IAM_PREFIX: Record<string, string> = {
  'client-dynamodb': 'dynamodb',
  'client-ec2': 'ec2',
  'client-eks': 'eks',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-eventbridge': 'events',
  'client-shield': 'shield',
  'client-sqs': 'sqs',
  'client-sts': 'sts',
  'client-wafv2': 'wafv2',
};

const COMMAND_MODULE =
  /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\/dist-[a-z]+\/commands\/([A-Za-z0-9]+)Command\.js$/;

/** IAM actions (`service:Operation`) for the SDK commands bundled from `entry` */
export async function sdkActions(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    // as serverless.yml builds: without splitting, esbuild inlines each import() as a wrapped
    // module it cannot tree-shake, and would report every command of a lazily loaded client
    splitting: true,
    outdir: join(REPO_ROOT, '.esbuild', 'sdk-actions'),
    logLevel: 'silent',
  });
  const actions = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const input of Object.keys(output.inputs)) {
      const match = input.match(COMMAND_MODULE);
      if (!match) continue;
      const prefix = IAM_PREFIX[match[1]!];
      if (!prefix) throw new Error(`no IAM prefix known for @aws-sdk/${match[1]}`);
      actions.add(`${prefix}:${match[2]}`);
    }
  }
  return [...actions].sort();
}
