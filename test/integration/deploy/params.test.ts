import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../infra/deploy/package.js';
import { readWiring } from '../../../infra/deploy/wiring.js';
import { loadConfig, parseClusterSettings, parseDefaultTags, settingsFor } from '../../../shared/config.js';
import { TAG_KEYS } from '../../../shared/model/tags.js';

/**
 * Deploy-time checks (infra/deploy/params.cjs): every parameter is checked when serverless.yml
 * is read, and shared/config.ts parses defaultTags and clusterSettings the same way.
 */

interface ParamsModule {
  PARAMETERS: string[];
  validateParams(values: Record<string, unknown>): Record<string, unknown>;
  parseTags(value: string): Record<string, string>;
  parseClusterSettings(value: string, clusters: string[]): Record<string, Record<string, string>>;
}

const params = createRequire(import.meta.url)('../../../infra/deploy/params.cjs') as ParamsModule;
const serverless = parse(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8')) as {
  params: { default: Record<string, unknown> };
};
const DEFAULTS = serverless.params.default;
const withParam = (name: string, value: unknown) => ({ ...DEFAULTS, [name]: value });

describe('parameters checked at deploy time', () => {
  it('checks exactly the parameters serverless.yml declares, and accepts its defaults', () => {
    expect([...params.PARAMETERS].sort()).toEqual(Object.keys(DEFAULTS).sort());
    expect(params.validateParams(DEFAULTS)).toMatchObject({
      clusters: ['demo'],
      defaultTags: {},
      clusterSettings: {},
    });
  });

  it.each<[string, unknown]>([
    ['clusters', 'a,b'],
    ['archiveRetentionDays', 0],
    ['archiveRetentionDays', '365'],
    ['resyncRate', 'rate(1 minute)'],
    ['resyncRate', 'rate(10 minutes)'],
    ['resyncRate', 'rate(2 hours)'],
    ['resyncRate', 'cron(0/5 * * * ? *)'],
    ['logLevel', 'debug'],
    ['logLevel', 'SILENT'],
    ['ingressClass', 'alb-internal.example'],
    ['defaultTargetType', 'ip'],
    ['defaultScheme', 'internet-facing'],
    ['serviceClaim', 'annotated'],
    ['historyDays', 1],
    ['alarmTopicArn', 'arn:aws:sns:eu-west-1:111122223333:ops-alarms'],
    ['alarmTopicArn', 'arn:aws-cn:sns:cn-north-1:111122223333:ops'],
    ['defaultTags', 'team=payments,cost-center=42,env=prod:eu'],
    ['defaultTags', 'owner=a=b'],
    ['accessEntries', 'true'],
    ['groupNamespaces', 'any'],
    ['clusterSettings', 'demo:groupNamespaces=any'],
    ['accessEntries', false],
  ])('accepts %s=%j', (name, value) => {
    expect(() => params.validateParams(withParam(name, value))).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ['clusters', '', /names no cluster/],
    ['clusters', 'a/b', /not a valid EKS cluster name/],
    ['archiveRetentionDays', -1, /whole number of at least 0/],
    ['archiveRetentionDays', '30d', /whole number/],
    ['resyncRate', 'rate(5 minute)', /plural/],
    ['resyncRate', 'rate(1 minutes)', /singular/],
    ['resyncRate', 'rate(0 minutes)', /at least 1/],
    ['resyncRate', 'every 5 minutes', /rate\(/],
    ['resyncRate', 'cron(* * * *)', /cron\(/],
    ['resyncRate', 'at(2026-12-01T00:00:00)', /one-time/],
    ['logLevel', 'VERBOSE', /one of TRACE/],
    ['ingressClass', 'ALB', /Kubernetes object name/],
    ['ingressClass', '', /Kubernetes object name/],
    ['defaultTargetType', 'bogus', /one of ip, instance/],
    ['defaultTargetType', 'IP', /one of ip, instance/],
    ['defaultScheme', 'public', /one of internal, internet-facing/],
    ['serviceClaim', 'some', /one of all, annotated/],
    ['historyDays', 0, /at least 1/],
    ['alarmTopicArn', 'ops-alarms', /SNS topic ARN/],
    ['alarmTopicArn', 'arn:aws:sqs:eu-west-1:111122223333:q', /SNS topic ARN/],
    ['defaultTags', 'team', /not key=value/],
    ['defaultTags', '=x', /not key=value/],
    ['defaultTags', 'elbv2.k8s.aws/cluster=x', /tracks ownership/],
    ['defaultTags', 'slbc.k8s.aws/member=x', /tracks ownership/],
    ['defaultTags', 'aws:cloudformation:stack-name=x', /aws: prefix/],
    ['defaultTags', 'a=1,a=2', /given twice/],
    ['defaultTags', 'bad#key=1', /not a valid ELBv2 tag key/],
    ['defaultTags', `k=${'v'.repeat(257)}`, /not a valid ELBv2 tag value/],
    ['defaultTags', Array.from({ length: 31 }, (_, i) => `k${i}=v`).join(','), /at most 30/],
    ['accessEntries', 'yes', /one of true, false/],
    ['groupNamespaces', 'all', /one of same, any/],
    ['clusterSettings', 'other:defaultTargetType=ip', /not in the clusters parameter/],
    ['clusterSettings', 'demo:defaultTargetType=bogus', /demo:defaultTargetType.*one of ip, instance/],
    ['clusterSettings', 'demo:historyDays=3', /cannot be set per cluster/],
    ['clusterSettings', 'demo', /<cluster>:<setting>=<value>/],
    ['clusterSettings', 'demo:ingressClass=a;demo:ingressClass=b', /given twice/],
  ])('refuses %s=%j, naming it', (name, value, why) => {
    expect(() => params.validateParams(withParam(name, value))).toThrow(
      new RegExp(`parameter ${name}=.*${why.source}`),
    );
  });

  it('refuses a parameter that is not set', () => {
    const { historyDays: _, ...rest } = DEFAULTS;
    expect(() => params.validateParams(rest)).toThrow(/parameter historyDays=undefined: is not set/);
  });

  it('runs in readWiring too, so the local runtime refuses what a deploy refuses', () => {
    expect(() => readWiring({ stage: 'ci', params: { defaultScheme: 'public' } })).toThrow(/defaultScheme/);
    expect(
      readWiring({ stage: 'ci', params: { defaultTags: 'team=a' } }).functions.stacks?.environment,
    ).toMatchObject({ SLBC_DEFAULT_TAGS: 'team=a', SLBC_CLUSTER_SETTINGS: '' });
  });
});

describe('the functions parse what the deploy checked (shared/config.ts)', () => {
  it.each<[string, Record<string, string>]>([
    ['', {}],
    ['team=payments, env = prod ', { team: 'payments', env: 'prod' }],
    ['owner=a=b', { owner: 'a=b' }],
  ])('defaultTags %j', (value, expected) => {
    expect(parseDefaultTags(value)).toEqual(expected);
    expect(params.parseTags(value)).toEqual(expected);
  });

  it.each(['team', ...Object.values(TAG_KEYS).map((key) => `${key}=x`), 'a=1,a=2', 'aws:x=1'])(
    'both refuse defaultTags %j',
    (value) => {
      expect(() => parseDefaultTags(value)).toThrow(/SLBC_DEFAULT_TAGS/);
      expect(() => params.parseTags(value)).toThrow(/defaultTags/);
    },
  );

  const CLUSTERS = ['prod', 'dev'];
  it.each<[string, Record<string, Record<string, string>>]>([
    ['', {}],
    [
      'prod:defaultTargetType=ip,defaultScheme=internet-facing; dev:ingressClass=alb-dev',
      {
        prod: { defaultTargetType: 'ip', defaultScheme: 'internet-facing' },
        dev: { ingressClass: 'alb-dev' },
      },
    ],
  ])('clusterSettings %j', (value, expected) => {
    expect(parseClusterSettings(value, CLUSTERS)).toEqual(expected);
    expect(params.parseClusterSettings(value, CLUSTERS)).toEqual(expected);
  });

  it.each(['staging:defaultTargetType=ip', 'prod:defaultTargetType=bogus', 'prod:logLevel=DEBUG', 'prod'])(
    'both refuse clusterSettings %j',
    (value) => {
      expect(() => parseClusterSettings(value, CLUSTERS)).toThrow(/SLBC_CLUSTER_SETTINGS/);
      expect(() => params.parseClusterSettings(value, CLUSTERS)).toThrow(/clusterSettings/);
    },
  );

  it('gives each cluster its overrides over the deployment-wide settings', () => {
    const config = loadConfig({
      SLBC_CLUSTERS: 'prod,dev',
      SLBC_DEFAULT_TARGET_TYPE: 'instance',
      SLBC_DEFAULT_TAGS: 'team=payments',
      SLBC_CLUSTER_SETTINGS: 'prod:defaultTargetType=ip',
    });
    expect(config.defaultTags).toEqual({ team: 'payments' });
    expect(settingsFor(config, 'prod')).toEqual({
      ingressClass: 'alb',
      defaultTargetType: 'ip',
      defaultScheme: 'internal',
      serviceClaim: 'all',
      groupNamespaces: 'same',
      defaultTags: { team: 'payments' },
    });
    expect(settingsFor(config, 'dev').defaultTargetType).toBe('instance');
  });
});

describe('serverless package', () => {
  it('fails on --param defaultTargetType=bogus, naming the parameter', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
    delete env.AWS_PROFILE;
    const run = spawnSync(
      'npx',
      [
        'serverless',
        'package',
        '--stage',
        'ci',
        '--package',
        join(tmpdir(), 'slbc-bogus-param'),
        '--param=defaultTargetType=bogus',
      ],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(
      /parameter defaultTargetType="bogus": must be one of ip, instance/,
    );
  }, 120_000);
});
