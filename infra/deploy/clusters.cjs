'use strict';
/**
 * The CloudFormation pieces whose count depends on the `clusters` parameter. One deployment
 * serves every cluster in the list; serverless.yml reads these through `${file(...)}`
 * variables, so `serverless package --param="clusters=a,b"` works offline.
 *
 * - `names` / `eksClusterArns`: values for the IAM statements (the cluster tag values slbc may
 *   act on, and the clusters eks:DescribeCluster may read).
 * - `subscriptions`: per cluster, the CloudWatch Logs subscription filter on the EKS control
 *   plane log group and the permission that lets CloudWatch Logs invoke the ingest function.
 */
const { createHash } = require('node:crypto');
const { ingestFilterPattern } = require('./ingest-filter-pattern.cjs');

/** EKS CreateCluster: "The name can contain only alphanumeric characters (case-sensitive), hyphens, and underscores. It must start with an alphanumeric character and can't be longer than 100 characters." */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

const INGEST_FUNCTION = 'IngestLambdaFunction';

/** Same splitting as shared/config.ts applies to SLBC_CLUSTERS, so both sides agree on the list. */
function parseClusters(value) {
  const names = String(value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new Error('the clusters parameter names no cluster');
  for (const name of names) {
    if (!CLUSTER_NAME.test(name)) throw new Error(`"${name}" is not a valid EKS cluster name`);
  }
  return [...new Set(names)];
}

/**
 * A readable logical-ID suffix. Capitalising loses case and stripping loses punctuation, so a
 * name that is not plain lower-initial alphanumerics gets a hash: "a-b", "ab" and "Ab" differ.
 */
function logicalIdSuffix(name) {
  const letters = name.replace(/[^A-Za-z0-9]/g, '');
  const readable = letters.charAt(0).toUpperCase() + letters.slice(1);
  if (letters === name && !/^[A-Z]/.test(name)) return readable;
  return `${readable}${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

const logGroupName = (cluster) => `/aws/eks/${cluster}/cluster`;

function subscriptionResources(clusters, filterPattern) {
  const resources = {};
  const suffixes = new Map();
  for (const cluster of clusters) {
    const suffix = logicalIdSuffix(cluster);
    if (suffixes.has(suffix)) throw new Error(`clusters "${suffixes.get(suffix)}" and "${cluster}" collide`);
    suffixes.set(suffix, cluster);
    const permission = `IngestLogsPermission${suffix}`;
    resources[permission] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [INGEST_FUNCTION, 'Arn'] },
        Principal: 'logs.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: {
          'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName(cluster)}:*`,
        },
      },
    };
    resources[`IngestSubscription${suffix}`] = {
      Type: 'AWS::Logs::SubscriptionFilter',
      // CloudWatch Logs tests the destination when the filter is created: the permission first.
      DependsOn: [permission],
      Properties: {
        LogGroupName: logGroupName(cluster),
        FilterName: { 'Fn::Sub': `\${AWS::StackName}-ingest` },
        FilterPattern: filterPattern,
        DestinationArn: { 'Fn::GetAtt': [INGEST_FUNCTION, 'Arn'] },
      },
    };
  }
  return resources;
}

/**
 * The functions that call the Kubernetes API, each mapped by its EKS access entry to one
 * Kubernetes group, bound to its own ClusterRole (docs/deploy.md). No access policy: EKS's
 * view policy would read every namespaced kind.
 */
const KUBERNETES_CLIENTS = { resync: 'ResyncRole', stacks: 'StacksRole', targets: 'TargetsRole' };

function accessEntryResources(clusters) {
  const resources = {};
  for (const cluster of clusters) {
    for (const [fn, role] of Object.entries(KUBERNETES_CLIENTS)) {
      const id = `${fn.charAt(0).toUpperCase()}${fn.slice(1)}AccessEntry${logicalIdSuffix(cluster)}`;
      resources[id] = {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: cluster,
          PrincipalArn: { 'Fn::GetAtt': [role, 'Arn'] },
          Type: 'STANDARD',
          KubernetesGroups: [`slbc-${fn}`],
        },
      };
    }
  }
  return resources;
}

async function clustersParam(resolveVariable) {
  return parseClusters(await resolveVariable('param:clusters'));
}

module.exports = {
  KUBERNETES_CLIENTS,
  accessEntryResources,
  parseClusters,
  logicalIdSuffix,
  subscriptionResources,
  names: async ({ resolveVariable }) => clustersParam(resolveVariable),
  eksClusterArns: async ({ resolveVariable }) =>
    (await clustersParam(resolveVariable)).map((cluster) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/${cluster}`,
    })),
  /** with accessEntries=true: one access entry per cluster and function; none otherwise */
  accessEntries: async ({ resolveVariable }) => ({
    Resources:
      String(await resolveVariable('param:accessEntries')) === 'true'
        ? accessEntryResources(await clustersParam(resolveVariable))
        : {},
  }),
  subscriptions: async ({ resolveVariable }) => ({
    Resources: subscriptionResources(await clustersParam(resolveVariable), await ingestFilterPattern()),
  }),
};
