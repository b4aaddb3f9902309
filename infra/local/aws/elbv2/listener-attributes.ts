/**
 * Listener attributes (Describe/ModifyListenerAttributes): the keys AWS knows per listener
 * protocol, their defaults and accepted values. An unknown key is `InvalidConfigurationRequest`,
 * a bad value a `ValidationError` naming both, as for load balancer attributes.
 */
import { type AttributeSpec, applyAttributes } from './attributes.js';
import { type Input, optionalString, validationError } from './input.js';
import { type Elbv2State, getListener, type ListenerRecord } from './state.js';

const any: AttributeSpec = { default: '', check: () => true, rule: 'a header value' };
const HEADER_NAME: AttributeSpec = {
  default: '',
  check: (value) => /^[A-Za-z0-9-]{0,40}$/.test(value),
  rule: 'a header name of up to 40 letters, digits and hyphens',
};

/** ALB (HTTP, HTTPS) listener attributes: response headers and renamed mTLS/TLS request headers */
const HTTP: Record<string, AttributeSpec> = {
  'routing.http.response.server.enabled': {
    default: 'true',
    check: (value) => value === 'true' || value === 'false',
    rule: "'true' or 'false'",
  },
  ...Object.fromEntries(
    [
      'strict_transport_security',
      'access_control_allow_origin',
      'access_control_allow_methods',
      'access_control_allow_headers',
      'access_control_allow_credentials',
      'access_control_expose_headers',
      'access_control_max_age',
      'content_security_policy',
      'x_content_type_options',
      'x_frame_options',
    ].map((name) => [`routing.http.response.${name}.header_value`, any]),
  ),
  ...Object.fromEntries(
    [
      'x_amzn_mtls_clientcert_serial_number',
      'x_amzn_mtls_clientcert_issuer',
      'x_amzn_mtls_clientcert_subject',
      'x_amzn_mtls_clientcert_validity',
      'x_amzn_mtls_clientcert_leaf',
      'x_amzn_mtls_clientcert',
      'x_amzn_tls_version',
      'x_amzn_tls_cipher_suite',
    ].map((name) => [`routing.http.request.${name}.header_name`, HEADER_NAME]),
  ),
};

/** NLB TCP listeners */
const TCP: Record<string, AttributeSpec> = {
  'tcp.idle_timeout.seconds': {
    default: '350',
    check: (value) => /^\d+$/.test(value) && Number(value) >= 60 && Number(value) <= 6000,
    rule: 'an integer from 60 to 6000',
  },
};

function catalogueOf(listener: ListenerRecord): Record<string, AttributeSpec> {
  if (listener.protocol === 'HTTP' || listener.protocol === 'HTTPS') return HTTP;
  if (listener.protocol === 'TCP') return TCP;
  return {};
}

function listenerArn(input: Input): string {
  const arn = optionalString(input, 'ListenerArn');
  if (!arn) validationError('ListenerArn is required');
  return arn;
}

function described(listener: ListenerRecord) {
  const values = {
    ...Object.fromEntries(Object.entries(catalogueOf(listener)).map(([key, spec]) => [key, spec.default])),
    ...Object.fromEntries(listener.attributes ?? []),
  };
  return Object.entries(values).map(([Key, Value]) => ({ Key, Value }));
}

export function describeListenerAttributes(state: Elbv2State, input: Input) {
  return { Attributes: described(getListener(state, listenerArn(input))) };
}

export function modifyListenerAttributes(state: Elbv2State, input: Input) {
  const listener = getListener(state, listenerArn(input));
  const catalogue = catalogueOf(listener);
  const owner = `listener '${listener.arn}' (${listener.protocol}:${listener.port})`;
  listener.attributes ??= new Map();
  applyAttributes(owner, catalogue, listener.attributes, input);
  return { Attributes: described(listener) };
}
