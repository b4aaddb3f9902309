import type { ClientCredentials, OidcCredentials } from '../../aws/elbv2-stacks.js';
import { NotFoundError } from '../../errors.js';
import type { KubeApi } from '../../kube/kube-api.js';
import type { Action, StackBuild } from '../../model/stack.js';
import { RESOURCE_TYPES } from '../../model/stack.js';

/**
 * The OIDC client credentials of a stack's authenticate-oidc actions, read from the Secrets the
 * model names through the Kubernetes API (keys `clientID`, or the LBC's legacy `clientId`, and
 * `clientSecret`, trimmed as the LBC trims them). The client ID goes into the action (the plan
 * compares it, as AWS returns it); the secret stays in the returned lookup, which only the apply
 * hands to the SDK call: it is never in the plan, its logs or history.
 *
 * A missing Secret or key fails closed: every rule of the member that needs it is taken out of the
 * model and the member is in error (its last applied rules are kept, none is created without its
 * authentication); a listener default action that needs it is a stack error (nothing is applied).
 */
export interface SecretSource {
  /** the Secret's data, base64-decoded; undefined when there is no such Secret */
  read(cluster: string, namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

/** Secrets through each cluster's Kubernetes API (the same access entry that writes status). */
export function kubeSecretSource(
  apiFor: (cluster: string) => Promise<Pick<KubeApi, 'getSecret'>>,
): SecretSource {
  return {
    async read(cluster, namespace, name) {
      const api = await apiFor(cluster);
      if (!api.getSecret) throw new Error('this Kubernetes API client cannot read Secrets');
      return api.getSecret(namespace, name);
    },
  };
}

const CLIENT_ID_KEYS = ['clientID', 'clientId'];

type Outcome = { credentials: OidcCredentials } | { problem: string };

async function readCredentials(
  source: SecretSource | undefined,
  cluster: string,
  namespace: string,
  name: string,
): Promise<Outcome> {
  const secret = `${namespace}/${name}`;
  if (!source) return { problem: `Secret ${secret} cannot be read: no Kubernetes API for Secrets is wired` };
  let data: Record<string, string> | undefined;
  try {
    data = await source.read(cluster, namespace, name);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  if (!data) return { problem: `Secret ${secret} not found` };
  const idKey = CLIENT_ID_KEYS.find((key) => data[key] !== undefined);
  if (idKey === undefined) return { problem: `missing clientID, secret: ${secret}` };
  const clientSecret = data['clientSecret'];
  if (clientSecret === undefined) return { problem: `missing clientSecret, secret: ${secret}` };
  return {
    credentials: {
      clientId: (data[idKey] ?? '').trimEnd(),
      clientSecret: clientSecret.replace(/[\p{Cc}]+$/u, ''),
    },
  };
}

const secretOf = (action: Action) =>
  action.type === 'authenticate-oidc' ? action.authenticateOIDCConfig.clientCredentials?.secret : undefined;

const AUTH_FIELD = 'metadata.annotations["alb.ingress.kubernetes.io/auth-idp-oidc"]';

export async function resolveOidcSecrets(
  source: SecretSource | undefined,
  cluster: string,
  build: StackBuild,
): Promise<ClientCredentials> {
  const found = new Map<string, Outcome>();
  const outcomeOf = async (namespace: string, name: string) => {
    const key = `${namespace}/${name}`;
    let outcome = found.get(key);
    if (!outcome) {
      outcome = await readCredentials(source, cluster, namespace, name);
      found.set(key, outcome);
    }
    return outcome;
  };
  const fill = async (actions: Action[]): Promise<string | undefined> => {
    for (const action of actions) {
      const secret = secretOf(action);
      if (!secret || action.type !== 'authenticate-oidc') continue;
      const outcome = await outcomeOf(secret.namespace, secret.name);
      if ('problem' in outcome) return outcome.problem;
      action.authenticateOIDCConfig.clientId = outcome.credentials.clientId;
    }
    return undefined;
  };

  const rules = build.stack.resources[RESOURCE_TYPES.listenerRule];
  const refused = new Map<string, { namespace: string; name: string; problem: string }>();
  for (const [id, rule] of Object.entries(rules)) {
    const problem = await fill(rule.spec.actions);
    if (problem === undefined) continue;
    const { namespace, name } = rule.source;
    refused.set(`${namespace}/${name}`, { namespace, name, problem });
    delete rules[id];
  }
  for (const [key, member] of refused) {
    // the member's other rules go too: a member is applied whole or keeps its last rules
    for (const [id, rule] of Object.entries(rules)) {
      if (`${rule.source.namespace}/${rule.source.name}` === key) delete rules[id];
    }
    build.memberErrors.push({
      kind: 'Ingress',
      namespace: member.namespace,
      name: member.name,
      field: AUTH_FIELD,
      message: `Ingress ${key}: ${member.problem}: its rules are not applied without their authentication`,
    });
  }
  dropUnusedTargetGroups(build, new Set(refused.keys()));
  for (const listener of Object.values(build.stack.resources[RESOURCE_TYPES.listener])) {
    const problem = await fill(listener.spec.defaultActions);
    if (problem !== undefined)
      build.stackErrors.push({
        field: `listener ${listener.spec.port} default action`,
        message: `${problem}: the default backend is not applied without its authentication`,
      });
  }
  return (secret) => {
    const outcome = found.get(`${secret.namespace}/${secret.name}`);
    return outcome && 'credentials' in outcome ? outcome.credentials : undefined;
  };
}

/**
 * A refused member's target groups leave the model with its rules, as a member refused by the
 * model never has any: no group is created that nothing forwards to. One still used (a kept rule
 * is not in the model, so only another member's rule or a default action counts) stays.
 */
function dropUnusedTargetGroups(build: StackBuild, refused: ReadonlySet<string>): void {
  if (refused.size === 0) return;
  const resources = build.stack.resources;
  const used = JSON.stringify([
    Object.values(resources[RESOURCE_TYPES.listenerRule]).map((rule) => rule.spec.actions),
    Object.values(resources[RESOURCE_TYPES.listener]).map((listener) => listener.spec.defaultActions),
  ]);
  const groups = resources[RESOURCE_TYPES.targetGroup] ?? {};
  for (const [id, group] of Object.entries(groups)) {
    const owner = `${group.source.namespace}/${group.source.name}`;
    if (refused.has(owner) && !used.includes(`/${RESOURCE_TYPES.targetGroup}/${id}/`)) delete groups[id];
  }
}
