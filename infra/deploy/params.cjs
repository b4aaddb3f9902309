'use strict';
/**
 * Every serverless.yml parameter checked when the file is read, so a bad value fails
 * `serverless package` (and deploy) with the parameter's name, instead of packaging and then
 * failing every invocation. serverless.yml resolves `custom.validatedParams` through
 * `validated`; readWiring() (infra/deploy/wiring.ts) calls `validateParams` for the local
 * runtime. shared/config.ts parses the same grammars for the functions; a test holds both
 * to one table of values.
 */
const { parseClusters } = require('./clusters.cjs');

/** The keys slbc and the LBC track ownership with (shared/model/tags.ts): never a default tag. */
const RESERVED_TAG_KEYS = [
  'elbv2.k8s.aws/cluster',
  'ingress.k8s.aws/stack',
  'ingress.k8s.aws/resource',
  'service.k8s.aws/stack',
  'service.k8s.aws/resource',
  'slbc.k8s.aws/member',
];

/** ELBv2 allows 50 tags a resource; slbc's own take up to 4, and user annotations need room. */
const MAX_DEFAULT_TAGS = 30;

const POWERTOOLS_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/** Settings a cluster may override in `clusterSettings`, with the values each takes. */
const CLUSTER_OVERRIDES = {
  ingressClass: null,
  defaultTargetType: ['ip', 'instance'],
  defaultScheme: ['internal', 'internet-facing'],
  serviceClaim: ['all', 'annotated'],
  groupNamespaces: ['same', 'any'],
};

class ParameterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ParameterError';
    // the Framework prints a rejection's stack: the message is all a user needs
    this.stack = `${this.name}: ${message}`;
  }
}

function fail(name, value, why) {
  throw new ParameterError(`parameter ${name}=${JSON.stringify(value)}: ${why}`);
}

function oneOf(name, value, allowed) {
  if (!allowed.includes(value)) fail(name, value, `must be one of ${allowed.join(', ')}`);
  return value;
}

function integer(name, value, min) {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < min)
    fail(name, value, `must be a whole number of at least ${min}`);
  return Number(text);
}

/** A Kubernetes object name (DNS subdomain), as an IngressClass name must be. */
function ingressClassName(name, value) {
  const text = String(value);
  if (text.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(text))
    fail(
      name,
      value,
      'must be a Kubernetes object name: lower-case letters, digits, "-" and ".", at most 253',
    );
  return text;
}

/** EventBridge Scheduler: rate(1 minute|N minutes|hours|days) or cron(6 fields); at() runs once. */
function scheduleExpression(name, value) {
  const text = String(value).trim();
  const rate = text.match(/^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/);
  if (rate) {
    const count = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (count < 1) fail(name, value, 'a rate must be at least 1');
    if ((count === 1) !== singular) fail(name, value, 'use the singular unit for 1 and the plural for more');
    return text;
  }
  const cron = text.match(/^cron\((.+)\)$/);
  if (cron && cron[1].trim().split(/\s+/).length === 6) return text;
  fail(
    name,
    value,
    'must be rate(<n> <minutes|hours|days>) or cron(<6 fields>); a one-time at() cannot drive a resync',
  );
}

function topicArn(name, value) {
  const text = String(value ?? '');
  if (text === '') return text;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(text))
    fail(name, value, 'must be empty or an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)');
  return text;
}

/**
 * `key=value,key2=value2`, like the LBC's --default-tags. A value may contain "=" but not ",".
 * Keys follow ELBv2's tag rules; slbc's and the LBC's tracking keys and `aws:` are refused.
 */
function parseTags(name, value) {
  const text = String(value ?? '').trim();
  const tags = {};
  if (text === '') return tags;
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const key = (at < 0 ? pair : pair.slice(0, at)).trim();
    const tagValue = at < 0 ? '' : pair.slice(at + 1).trim();
    if (at < 0 || key === '') fail(name, value, `"${pair}" is not key=value`);
    if (key.length > 128 || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(key))
      fail(
        name,
        value,
        `tag key "${key}" is not a valid ELBv2 tag key (at most 128 letters, digits, spaces, _ . : / = + - @)`,
      );
    if (tagValue.length > 256 || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(tagValue))
      fail(name, value, `tag value of "${key}" is not a valid ELBv2 tag value (at most 256 characters)`);
    if (key.toLowerCase().startsWith('aws:'))
      fail(name, value, `tag key "${key}": the aws: prefix is AWS's own`);
    if (RESERVED_TAG_KEYS.includes(key)) fail(name, value, `tag key "${key}" is how slbc tracks ownership`);
    if (key in tags) fail(name, value, `tag key "${key}" is given twice`);
    tags[key] = tagValue;
  }
  if (Object.keys(tags).length > MAX_DEFAULT_TAGS) fail(name, value, `at most ${MAX_DEFAULT_TAGS} tags`);
  return tags;
}

/**
 * Per-cluster overrides: `<cluster>:<setting>=<value>[,<setting>=<value>...]`, clusters
 * separated by ";". E.g. `prod:defaultTargetType=ip,defaultScheme=internet-facing;dev:ingressClass=alb-dev`.
 */
function parseClusterSettings(name, value, clusters) {
  const text = String(value ?? '').trim();
  const settings = {};
  if (text === '') return settings;
  for (const group of text.split(';').filter((part) => part.trim() !== '')) {
    const colon = group.indexOf(':');
    const cluster = group.slice(0, colon).trim();
    if (colon < 0 || cluster === '') fail(name, value, `"${group}" is not <cluster>:<setting>=<value>,...`);
    if (clusters && !clusters.includes(cluster))
      fail(name, value, `cluster "${cluster}" is not in the clusters parameter (${clusters.join(',')})`);
    if (cluster in settings) fail(name, value, `cluster "${cluster}" is given twice`);
    settings[cluster] = {};
    for (const pair of group.slice(colon + 1).split(',')) {
      const [key = '', setting = ''] = pair.split('=').map((part) => part.trim());
      if (!Object.hasOwn(CLUSTER_OVERRIDES, key))
        fail(
          name,
          value,
          `"${key}" cannot be set per cluster (${Object.keys(CLUSTER_OVERRIDES).join(', ')} can)`,
        );
      const allowed = CLUSTER_OVERRIDES[key];
      if (allowed && !allowed.includes(setting))
        fail(name, value, `${cluster}:${key} must be one of ${allowed.join(', ')}`);
      if (!allowed && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(setting))
        fail(name, value, `${cluster}:${key} must be a Kubernetes object name`);
      settings[cluster][key] = setting;
    }
  }
  return settings;
}

/** Parameter name -> its check; the names are exactly those under `params: default:`. */
const CHECKS = {
  clusters: (name, value) => {
    try {
      return parseClusters(value);
    } catch (error) {
      return fail(name, value, error.message);
    }
  },
  archiveRetentionDays: (name, value) => integer(name, value, 0),
  resyncRate: scheduleExpression,
  logLevel: (name, value) => oneOf(name, String(value).toUpperCase(), POWERTOOLS_LEVELS),
  ingressClass: ingressClassName,
  defaultTargetType: (name, value) => oneOf(name, value, ['ip', 'instance']),
  defaultScheme: (name, value) => oneOf(name, value, ['internal', 'internet-facing']),
  serviceClaim: (name, value) => oneOf(name, value, ['all', 'annotated']),
  historyDays: (name, value) => integer(name, value, 1),
  groupNamespaces: (name, value) => oneOf(name, value, ['same', 'any']),
  alarmTopicArn: topicArn,
  defaultTags: parseTags,
  clusterSettings: (name, value, all) => parseClusterSettings(name, value, all.clusters),
  accessEntries: (name, value) => oneOf(name, String(value), ['true', 'false']) === 'true',
};

/** Checks every parameter; returns the parsed values or throws naming the first bad one. */
function validateParams(values) {
  const parsed = {};
  for (const [name, check] of Object.entries(CHECKS)) {
    if (values[name] === undefined || values[name] === null) fail(name, values[name], 'is not set');
    parsed[name] = check(name, values[name], parsed);
  }
  return parsed;
}

/**
 * A work-queue lease must outlive the invocation holding it: SLBC_LEASE_SECONDS (the
 * function's own, else the provider's) must exceed each function's timeout. shared/config.ts
 * refuses the same at start-up; this fails the package first, naming the function.
 */
function checkLeases(functions, providerEnvironment) {
  for (const [name, fn] of Object.entries(functions ?? {})) {
    const timeout = Number(fn?.timeout ?? 6);
    const lease = Number(fn?.environment?.SLBC_LEASE_SECONDS ?? providerEnvironment?.SLBC_LEASE_SECONDS);
    if (!Number.isFinite(lease))
      throw new ParameterError(`function ${name}: SLBC_LEASE_SECONDS is not set to a number of seconds`);
    if (lease <= timeout)
      throw new ParameterError(
        `function ${name}: SLBC_LEASE_SECONDS=${lease} must exceed its timeout of ${timeout} s, or a second invocation takes a key over while the first still writes`,
      );
  }
  return 'every lease outlives its function (infra/deploy/params.cjs)';
}

module.exports = {
  checkLeases,
  /** For `${file(./infra/deploy/params.cjs):leases}`: resolving it checks every function's lease. */
  leases: async ({ resolveVariable }) =>
    checkLeases(await resolveVariable('self:functions'), await resolveVariable('self:provider.environment')),
  PARAMETERS: Object.keys(CHECKS),
  RESERVED_TAG_KEYS,
  CLUSTER_OVERRIDES,
  ParameterError,
  validateParams,
  parseTags: (value) => parseTags('defaultTags', value),
  parseClusterSettings: (value, clusters) => parseClusterSettings('clusterSettings', value, clusters),
  /** For `${file(./infra/deploy/params.cjs):validated}`: resolving it checks every parameter. */
  validated: async ({ resolveVariable }) => {
    const values = {};
    for (const name of Object.keys(CHECKS)) values[name] = await resolveVariable(`param:${name}`);
    validateParams(values);
    return 'every parameter checked (infra/deploy/params.cjs)';
  },
};
