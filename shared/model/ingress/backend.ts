import type { Ingress, IngressBackend, Service } from '../../k8s/objects.js';
import { annotationField, INGRESS_PREFIX, parseJson } from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import type {
  Action,
  AuthenticateAction,
  RuleCondition,
  TargetGroupResource,
  TargetGroupTuple,
} from '../stack.js';
import { RESOURCE_TYPES, ref } from '../stack.js';
import { type ActionConfig, parseAction } from './actions.js';
import { buildAuthAction } from './auth.js';
import { parseConditions } from './conditions.js';
import { type Built, buildTargetGroup } from './target-groups.js';

/**
 * An Ingress backend to the ALB action it means (pkg/ingress/enhanced_backend_builder.go): a plain
 * Service backend forwards to its target group; `use-annotation` takes `actions.<name>`;
 * `conditions.<name>` adds conditions. A missing action or a missing single Service becomes the LBC's
 * 503 fixed response (its default tolerate flags), so the rest of the Ingress still works.
 */

export interface MemberContext {
  env: ModelEnvironment;
  groupId: string;
  stackTags: Record<string, string>;
  ingress: Ingress;
  /** Services by `namespace/name` */
  services: ReadonlyMap<string, Service>;
  /** target groups this member already built, by `service:port`: many paths share one */
  builtTargetGroups?: Map<string, ReturnType<typeof buildTargetGroup>>;
}

export interface ResolvedBackend {
  action: Action;
  /** from `conditions.<service name>` */
  conditions: RuleCondition[];
  targetGroups: { id: string; resource: TargetGroupResource }[];
  /** `auth-type` cognito/oidc: runs before `action` on HTTPS listeners (the LBC adds none on HTTP) */
  auth?: AuthenticateAction;
}

const USE_ANNOTATION = 'use-annotation';

const unavailable = (messageBody: string): Action => ({
  type: 'fixed-response',
  fixedResponseConfig: { contentType: 'text/plain', statusCode: '503', messageBody },
});

function backendAction(
  context: MemberContext,
  serviceName: string,
  portName?: string,
  portNumber?: number,
): Built<ActionConfig | undefined> {
  if (portName === USE_ANNOTATION) {
    const actionKey = `${INGRESS_PREFIX}/actions.${serviceName}`;
    const json = parseJson(context.ingress.metadata.annotations ?? {}, actionKey);
    if (!json.ok) return { error: json.error, field: annotationField(actionKey) };
    if (json.value === undefined) return { value: undefined };
    const parsed = parseAction(json.value);
    if ('error' in parsed) return { error: parsed.error, field: annotationField(actionKey) };
    return { value: parsed.value };
  }
  const servicePort = portName ?? portNumber;
  if (servicePort === undefined) {
    return {
      error: 'service port must specify a name or a number',
      field: 'spec.rules.http.paths.backend.service.port',
    };
  }
  const forward: ActionConfig = {
    type: 'forward',
    forwardConfig: { targetGroups: [{ serviceName, servicePort }] },
  };
  return { value: forward };
}

export function resolveBackend(context: MemberContext, backend: IngressBackend): Built<ResolvedBackend> {
  const resolved = resolveAction(context, backend);
  if ('error' in resolved || !backend.service) return resolved;
  // as the LBC: a forward to a single Service takes that Service's auth annotations over the Ingress's
  const namespace = context.ingress.metadata.namespace ?? '';
  const { action, targetGroups } = resolved.value;
  const single =
    action.type === 'forward' && action.forwardConfig.targetGroups.length === 1 && targetGroups.length === 1;
  const service = single
    ? context.services.get(`${namespace}/${targetGroups[0]?.resource.binding.serviceRef.name}`)
    : undefined;
  const annotations = { ...context.ingress.metadata.annotations, ...service?.metadata.annotations };
  const auth = buildAuthAction(annotations, namespace);
  if ('error' in auth) return auth;
  return auth.value ? { value: { ...resolved.value, auth: auth.value } } : resolved;
}

function resolveAction(context: MemberContext, backend: IngressBackend): Built<ResolvedBackend> {
  if (!backend.service) return { error: 'missing required "service" field', field: 'backend' };
  const serviceName = backend.service.name;
  const conditionsKey = `${INGRESS_PREFIX}/conditions.${serviceName}`;
  const conditionsJson = parseJson(context.ingress.metadata.annotations ?? {}, conditionsKey);
  if (!conditionsJson.ok) return { error: conditionsJson.error, field: annotationField(conditionsKey) };
  let conditions: RuleCondition[] = [];
  if (conditionsJson.value !== undefined) {
    const parsed = parseConditions(conditionsJson.value);
    if ('error' in parsed) return { error: parsed.error, field: annotationField(conditionsKey) };
    conditions = parsed.value;
  }
  const config = backendAction(
    context,
    serviceName,
    backend.service.port?.name,
    backend.service.port?.number,
  );
  if ('error' in config) return config;
  if (config.value === undefined) {
    return { value: { action: unavailable('Backend action does not exist'), conditions, targetGroups: [] } };
  }
  if (config.value.type !== 'forward')
    return { value: { action: config.value, conditions, targetGroups: [] } };
  return resolveForward(context, config.value, conditions);
}

function resolveForward(
  context: MemberContext,
  config: Extract<ActionConfig, { type: 'forward' }>,
  conditions: RuleCondition[],
): Built<ResolvedBackend> {
  const namespace = context.ingress.metadata.namespace ?? '';
  const tuples = config.forwardConfig.targetGroups;
  const targetGroups: ResolvedBackend['targetGroups'] = [];
  const resolved: TargetGroupTuple[] = [];
  for (const tuple of tuples) {
    const weight = tuple.weight === undefined ? {} : { weight: tuple.weight };
    if (tuple.serviceName === undefined || tuple.servicePort === undefined) {
      resolved.push({
        ...(tuple.targetGroupARN !== undefined ? { targetGroupARN: tuple.targetGroupARN } : {}),
        ...(tuple.targetGroupName !== undefined ? { targetGroupName: tuple.targetGroupName } : {}),
        ...weight,
      });
      continue;
    }
    const service = context.services.get(`${namespace}/${tuple.serviceName}`);
    if (!service) {
      if (tuples.length === 1) {
        return {
          value: { action: unavailable('Backend service does not exist'), conditions, targetGroups: [] },
        };
      }
      return {
        error: `services "${tuple.serviceName}" not found`,
        field: 'spec.rules.http.paths.backend.service',
      };
    }
    const cacheKey = `${tuple.serviceName}:${tuple.servicePort}`;
    const built =
      context.builtTargetGroups?.get(cacheKey) ??
      buildTargetGroup({
        env: context.env,
        groupId: context.groupId,
        stackTags: context.stackTags,
        ingress: context.ingress,
        service,
        servicePort: tuple.servicePort,
      });
    context.builtTargetGroups?.set(cacheKey, built);
    if ('error' in built) return built;
    targetGroups.push(built.value);
    resolved.push({
      targetGroupARN: ref(RESOURCE_TYPES.targetGroup, built.value.id, 'targetGroupARN'),
      ...weight,
    });
  }
  const forwardConfig: Extract<Action, { type: 'forward' }>['forwardConfig'] = { targetGroups: resolved };
  if (config.forwardConfig.targetGroupStickinessConfig) {
    forwardConfig.targetGroupStickinessConfig = config.forwardConfig.targetGroupStickinessConfig;
  }
  return { value: { action: { type: 'forward', forwardConfig }, conditions, targetGroups } };
}
