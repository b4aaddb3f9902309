/**
 * Listeners. Each has a default rule (priority `default`) that holds its default actions, so
 * routing, usage and DescribeRules treat default and ordinary rules alike; ModifyListener is
 * the only way to change it, as in AWS.
 */
import { type ActionContext, parseActions, recheckForwards } from './actions.js';
import {
  fail,
  type Input,
  optionalInt,
  optionalString,
  paginate,
  records,
  requiredInt,
  requiredString,
  strings,
  validationError,
} from './input.js';
import {
  type Elbv2State,
  getListener,
  getLoadBalancer,
  type ListenerRecord,
  type LoadBalancerRecord,
  nextId,
} from './state.js';
import { applyTags, parseTags } from './tags.js';
import { refreshUsage } from './usage.js';

const APPLICATION_PROTOCOLS = ['HTTP', 'HTTPS'];
const NETWORK_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC'];
const SECURE_PROTOCOLS = ['HTTPS', 'TLS'];
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
const ALPN_POLICIES = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'];
const CERTIFICATE_ARN = /^arn:aws:(acm:[^:]+:\d{12}:certificate\/.+|iam::\d{12}:server-certificate\/.+)$/;
// ACM issues random (v4) UUIDs, so the nil UUID names a certificate that cannot exist: scenarios
// use it for a well-formed ARN of a missing certificate (there is no local ACM to delete one from)
const MISSING_CERTIFICATE = /:certificate\/0{8}-0{4}-0{4}-0{4}-0{12}$/;

export function describeListener(state: Elbv2State, listener: ListenerRecord) {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    Certificates: listener.certificates.map((certificate) => ({ ...certificate })),
    SslPolicy: listener.sslPolicy,
    DefaultActions: state.rules.get(listener.defaultRuleArn)?.actions ?? [],
    AlpnPolicy: listener.alpnPolicy.length > 0 ? [...listener.alpnPolicy] : undefined,
  };
}

interface ListenerSettings {
  port: number;
  protocol: string;
  certificates: { CertificateArn: string }[];
  sslPolicy: string | undefined;
  alpnPolicy: string[];
}

/** Applies the protocol, port, certificate, SSL and ALPN input over `current` (absent fields stay). */
function resolveSettings(
  state: Elbv2State,
  balancer: LoadBalancerRecord,
  input: Input,
  current: ListenerSettings | undefined,
  self: string | undefined,
): ListenerSettings {
  const owner = `listener of load balancer '${balancer.name}'`;
  const allowed = balancer.type === 'application' ? APPLICATION_PROTOCOLS : NETWORK_PROTOCOLS;
  const protocolInput = optionalString(input, 'Protocol');
  if (protocolInput === undefined && !current) validationError(`Protocol of ${owner} is required`);
  const protocol = protocolInput ?? current!.protocol;
  if (!allowed.includes(protocol))
    fail(
      'UnsupportedProtocol',
      `Protocol '${protocol}' is not supported by ${balancer.type} load balancer '${balancer.name}'; use one of ${allowed.join(', ')}`,
    );
  const port = current
    ? (optionalInt(input, 'Port', { min: 1, max: 65535 }) ?? current.port)
    : requiredInt(input, 'Port', { min: 1, max: 65535 });
  for (const other of state.listeners.values())
    if (other.loadBalancerArn === balancer.arn && other.port === port && other.arn !== self)
      fail('DuplicateListener', `Load balancer '${balancer.name}' already has a listener on port ${port}`);

  const secure = SECURE_PROTOCOLS.includes(protocol);
  const certificateInput = records(input, 'Certificates').map((item, index) =>
    requiredString(item, 'CertificateArn', `Certificates.member.${index + 1}.CertificateArn`),
  );
  let certificates =
    certificateInput.length > 0
      ? certificateInput.map((arn) => ({ CertificateArn: arn }))
      : secure
        ? (current?.certificates ?? [])
        : [];
  if (!secure && certificateInput.length > 0)
    validationError(
      `Certificates can be given only to HTTPS and TLS listeners, not to ${protocol} (${owner})`,
    );
  if (secure && certificates.length === 0)
    validationError(`A certificate must be specified for ${protocol} listeners (${owner})`);
  if (certificateInput.length > 1) validationError(`Only one default certificate can be given to ${owner}`);
  for (const certificate of certificates)
    if (
      !CERTIFICATE_ARN.test(certificate.CertificateArn) ||
      MISSING_CERTIFICATE.test(certificate.CertificateArn)
    )
      fail('CertificateNotFound', `Certificate '${certificate.CertificateArn}' of ${owner} not found`);
  if (!secure) certificates = [];

  const sslInput = optionalString(input, 'SslPolicy');
  if (sslInput !== undefined && !secure)
    validationError(`SslPolicy applies only to HTTPS and TLS listeners (${owner})`);
  if (sslInput !== undefined && !sslInput.startsWith('ELBSecurityPolicy-'))
    fail('SSLPolicyNotFound', `SSL policy '${sslInput}' of ${owner} not found`);
  const sslPolicy = secure ? (sslInput ?? current?.sslPolicy ?? DEFAULT_SSL_POLICY) : undefined;

  const alpnInput = strings(input, 'AlpnPolicy');
  if (alpnInput.length > 0 && protocol !== 'TLS')
    fail('ALPNPolicyNotSupported', `ALPN policies apply only to TLS listeners (${owner})`);
  if (alpnInput.length > 1 || (alpnInput[0] !== undefined && !ALPN_POLICIES.includes(alpnInput[0])))
    fail('ALPNPolicyNotSupported', `ALPN policy '${alpnInput.join(',')}' of ${owner} is not supported`);
  const alpnPolicy =
    protocol === 'TLS' ? (alpnInput.length > 0 ? alpnInput : (current?.alpnPolicy ?? [])) : [];
  return { port, protocol, certificates, sslPolicy, alpnPolicy };
}

export function createListener(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, requiredString(input, 'LoadBalancerArn'));
  const settings = resolveSettings(state, balancer, input, undefined, undefined);
  const context: ActionContext = {
    balancer,
    listenerProtocol: settings.protocol,
    owner: `the new listener on port ${settings.port}`,
  };
  const actions = parseActions(state, input, 'DefaultActions', context);
  const tags = parseTags(input);
  let count = 0;
  for (const listener of state.listeners.values()) if (listener.loadBalancerArn === balancer.arn) count++;
  const limit = state.deps.quotas.listenersPerLoadBalancer;
  if (count >= limit)
    fail(
      'TooManyListeners',
      `Load balancer '${balancer.name}' already has ${count} listeners; the limit is ${limit}`,
    );
  if (tags.length > state.deps.quotas.tagsPerResource)
    fail('TooManyTags', `A listener can have at most ${state.deps.quotas.tagsPerResource} tags`);

  const [, kindAndId] = balancer.arn.split(':loadbalancer/');
  const listenerId = nextId(state, `${balancer.arn}/listener`);
  const arn = balancer.arn.replace(`:loadbalancer/${kindAndId}`, `:listener/${kindAndId}/${listenerId}`);
  const defaultRuleArn = `${arn.replace(':listener/', ':listener-rule/')}/${nextId(state, `${arn}/default`)}`;
  const listener: ListenerRecord = { arn, loadBalancerArn: balancer.arn, ...settings, defaultRuleArn };
  state.listeners.set(arn, listener);
  state.rules.set(defaultRuleArn, {
    arn: defaultRuleArn,
    listenerArn: arn,
    priority: 'default',
    conditions: [],
    actions,
  });
  applyTags(state, arn, tags);
  refreshUsage(state);
  return { Listeners: [describeListener(state, listener)] };
}

export function describeListeners(state: Elbv2State, input: Input) {
  const balancerArn = optionalString(input, 'LoadBalancerArn');
  const arns = strings(input, 'ListenerArns');
  if ((balancerArn === undefined) === (arns.length === 0))
    validationError('Specify exactly one of LoadBalancerArn and ListenerArns');
  let selected: ListenerRecord[];
  if (balancerArn !== undefined) {
    getLoadBalancer(state, balancerArn);
    selected = [...state.listeners.values()].filter((listener) => listener.loadBalancerArn === balancerArn);
  } else selected = arns.map((arn) => getListener(state, arn));
  const { page, nextMarker } = paginate(selected, input);
  return { Listeners: page.map((listener) => describeListener(state, listener)), NextMarker: nextMarker };
}

export function modifyListener(state: Elbv2State, input: Input) {
  const listener = getListener(state, requiredString(input, 'ListenerArn'));
  const balancer = getLoadBalancer(state, listener.loadBalancerArn);
  const settings = resolveSettings(state, balancer, input, listener, listener.arn);
  const defaultRule = state.rules.get(listener.defaultRuleArn)!;
  const context: ActionContext = {
    balancer,
    listenerProtocol: settings.protocol,
    owner: `listener '${listener.arn}'`,
  };
  const actions =
    records(input, 'DefaultActions').length > 0
      ? parseActions(state, input, 'DefaultActions', context)
      : undefined;
  if (!actions) recheckForwards(state, defaultRule.actions, context);
  Object.assign(listener, settings);
  if (actions) defaultRule.actions = actions;
  refreshUsage(state);
  return { Listeners: [describeListener(state, listener)] };
}

export function deleteListener(state: Elbv2State, input: Input) {
  const listener = getListener(state, requiredString(input, 'ListenerArn'));
  for (const rule of [...state.rules.values()])
    if (rule.listenerArn === listener.arn) {
      state.rules.delete(rule.arn);
      state.tags.delete(rule.arn);
    }
  state.listeners.delete(listener.arn);
  state.tags.delete(listener.arn);
  refreshUsage(state);
  return {};
}
