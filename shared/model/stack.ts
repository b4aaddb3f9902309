/**
 * The desired-state model: one Stack per Ingress group (an ALB) or per LoadBalancer Service (an NLB).
 *
 * Shape follows the LBC's own stack JSON (resource type -> resource ID -> spec), so a dry run reads
 * like the LBC's `dry-run-plan` and the resource IDs equal the `ingress.k8s.aws/resource` /
 * `service.k8s.aws/resource` tag values the LBC already wrote on existing AWS resources. The plan
 * matches desired to actual through those IDs, which is how slbc adopts an LBC-built load balancer
 * without recreating it.
 *
 * Everything here is plain data: JSON.stringify(stack) is the plan's input and the dry-run output.
 * A reference to another resource's ARN/ID, known only after deploy, is a `Ref`.
 */

/** `#/resources/<type>/<id>/status/<field>`: resolved by the deploy once the referenced resource exists. */
export interface Ref {
  $ref: string;
}

export const RESOURCE_TYPES = {
  securityGroup: 'AWS::EC2::SecurityGroup',
  loadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  listener: 'AWS::ElasticLoadBalancingV2::Listener',
  listenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
  targetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
} as const;
export type ResourceType = (typeof RESOURCE_TYPES)[keyof typeof RESOURCE_TYPES];

export type Tags = Record<string, string>;
export type TargetType = 'ip' | 'instance';
export type Scheme = 'internal' | 'internet-facing';
export type IpAddressType = 'ipv4' | 'dualstack' | 'dualstack-without-public-ipv4';

/** The Kubernetes object a resource was built from (a group member, or the Service of an NLB stack). */
export interface MemberRef {
  kind: 'Ingress' | 'Service';
  namespace: string;
  name: string;
}

// ---- security group ---------------------------------------------------------------------------

export interface IpPermission {
  ipProtocol: 'tcp' | 'udp';
  fromPort: number;
  toPort: number;
  ipRanges?: { cidrIP: string }[];
  ipv6Ranges?: { cidrIPv6: string }[];
}

export interface SecurityGroupSpec {
  groupName: string;
  description: string;
  /** complete tag set, tracking tags included */
  tags: Tags;
  ingress: IpPermission[];
}

// ---- load balancer ----------------------------------------------------------------------------

export interface Attribute {
  key: string;
  value: string;
}

export interface LoadBalancerSpec {
  name: string;
  type: 'application' | 'network';
  scheme: Scheme;
  ipAddressType: IpAddressType;
  /** one per AZ, sorted by subnet ID */
  subnetMapping: { subnetID: string }[];
  /** security group IDs, or a Ref to the managed group; empty for an NLB without security groups */
  securityGroups: (string | Ref)[];
  /** only the keys the user set: the deploy reconciles these and leaves others alone (as the LBC) */
  loadBalancerAttributes: Attribute[];
  tags: Tags;
  /**
   * `wafv2-acl-arn`: the regional web ACL to associate, or `none` to disassociate any; absent: the
   * load balancer's association is left as it is
   */
  wafv2AclArn?: string;
  /** `shield-advanced-protection`: absent leaves the protection as it is */
  shieldAdvancedProtection?: boolean;
}

// ---- actions and conditions (ELBv2 shapes, camel-cased as the LBC's JSON) --------------------

export interface TargetGroupTuple {
  /** a model target group (Ref) or a literal ARN from an actions.* annotation */
  targetGroupARN?: string | Ref;
  /** from an actions.* annotation: the deploy resolves it with DescribeTargetGroups */
  targetGroupName?: string;
  weight?: number;
}

export interface ForwardAction {
  type: 'forward';
  forwardConfig: {
    targetGroups: TargetGroupTuple[];
    targetGroupStickinessConfig?: { enabled: boolean; durationSeconds?: number };
  };
}

export interface RedirectAction {
  type: 'redirect';
  /** unset fields mean the AWS defaults #{host}, /#{path}, #{port}, #{protocol}, #{query} */
  redirectConfig: {
    host?: string;
    path?: string;
    port?: string;
    protocol?: string;
    query?: string;
    statusCode: string;
  };
}

export interface FixedResponseAction {
  type: 'fixed-response';
  fixedResponseConfig: { contentType?: string; messageBody?: string; statusCode: string };
}

/** What the authenticate actions share (ELBv2 defaults filled in as the LBC does). */
interface AuthenticateCommon {
  /** at most 10 query parameters for the authorization endpoint */
  authenticationRequestExtraParams?: Record<string, string>;
  onUnauthenticatedRequest: 'authenticate' | 'allow' | 'deny';
  scope: string;
  sessionCookieName: string;
  sessionTimeout: number;
}

export interface AuthenticateCognitoAction {
  type: 'authenticate-cognito';
  authenticateCognitoConfig: AuthenticateCommon & {
    userPoolARN: string;
    userPoolClientID: string;
    userPoolDomain: string;
  };
}

export interface AuthenticateOidcAction {
  type: 'authenticate-oidc';
  authenticateOIDCConfig: AuthenticateCommon & {
    issuer: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    userInfoEndpoint: string;
    /**
     * Where the client ID and secret are: the Secret's keys `clientID` (or the legacy `clientId`) and
     * `clientSecret`. The model never reads Secrets; the deploy resolves this through the Kubernetes API.
     */
    clientCredentials?: { secret: { namespace: string; name: string } };
    /**
     * The client ID, not a secret: set by the stacks pass from the Secret before planning, and read
     * back from AWS (which never returns the client secret). The secret itself only enters the SDK
     * call at apply time.
     */
    clientId?: string;
  };
}

export type AuthenticateAction = AuthenticateCognitoAction | AuthenticateOidcAction;

export type Action = ForwardAction | RedirectAction | FixedResponseAction | AuthenticateAction;

export interface ValuesOrRegex {
  values?: string[];
  regexValues?: string[];
}

export type RuleCondition =
  | { field: 'host-header'; hostHeaderConfig: ValuesOrRegex }
  | { field: 'path-pattern'; pathPatternConfig: ValuesOrRegex }
  | { field: 'http-header'; httpHeaderConfig: ValuesOrRegex & { httpHeaderName: string } }
  | { field: 'http-request-method'; httpRequestMethodConfig: { values: string[] } }
  | { field: 'query-string'; queryStringConfig: { values: { key?: string; value: string }[] } }
  | { field: 'source-ip'; sourceIPConfig: { values: string[] } };

// ---- listener and rules -----------------------------------------------------------------------

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';

export interface ListenerSpec {
  loadBalancerARN: Ref;
  port: number;
  protocol: ListenerProtocol;
  defaultActions: Action[];
  /** first is the default certificate, the rest go to the SNI list */
  certificates?: { certificateARN: string }[];
  sslPolicy?: string;
  /** NLB TLS listeners only */
  alpnPolicy?: string[];
  /** `listener-attributes.<PROTOCOL>-<port>`: only the keys users set, sorted; absent when none */
  listenerAttributes?: Attribute[];
  tags: Tags;
}

export interface ListenerRuleSpec {
  listenerARN: Ref;
  /** dense 1..N per listener, in the LBC's order (member order, host block order, sorted paths) */
  priority: number;
  actions: Action[];
  conditions: RuleCondition[];
  tags: Tags;
}

// ---- target group and its binding -------------------------------------------------------------

export interface HealthCheckConfig {
  /** 'traffic-port' or a port number */
  port: number | 'traffic-port';
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  /** HTTP(S) health checks only */
  path?: string;
  /** HTTP(S) health checks only */
  matcher?: { httpCode: string } | { grpcCode: string };
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
}

export interface TargetGroupSpec {
  name: string;
  targetType: TargetType;
  ipAddressType: 'ipv4' | 'ipv6';
  /** informational for AWS (targets register with explicit ports): NodePort (instance) or targetPort (ip; 1 if named) */
  port: number;
  protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';
  /** ALB target groups only */
  protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
  healthCheckConfig: HealthCheckConfig;
  /** only the keys the user set (NLB: proxy_protocol_v2.enabled always, as the LBC) */
  targetGroupAttributes: Attribute[];
  tags: Tags;
}

/**
 * What the LBC would write into a TargetGroupBinding: everything the targets side needs to keep
 * this target group's members in sync with the Service's endpoints. slbc stores it, not a CRD.
 */
export interface TargetGroupBindingSpec {
  /** = the target group name (the LBC names its TargetGroupBinding so too) */
  name: string;
  /** the Service's namespace */
  namespace: string;
  /** port as written in the Ingress / Service (a name or a number) */
  serviceRef: { name: string; port: string | number };
  targetType: TargetType;
  targetGroupProtocol: TargetGroupSpec['protocol'];
  ipAddressType: 'ipv4' | 'ipv6';
  vpcID: string;
  /** traffic the load balancer must be allowed to send to targets (for node/ENI security groups) */
  networking?: {
    ingress: {
      from: { securityGroup: { groupID: string | Ref } }[];
      ports: { port: number | string; protocol: 'TCP' | 'UDP' }[];
    }[];
  };
  /** instance targets only: target-node-labels */
  nodeSelector?: { matchLabels: Record<string, string> };
  multiClusterTargetGroup?: boolean;
}

// ---- resources and the stack ------------------------------------------------------------------

export interface SecurityGroupResource {
  spec: SecurityGroupSpec;
}
export interface LoadBalancerResource {
  spec: LoadBalancerSpec;
}
export interface ListenerResource {
  spec: ListenerSpec;
}
export interface ListenerRuleResource {
  spec: ListenerRuleSpec;
  /** the group member whose path produced this rule: lets the deploy keep a failed member's last rules */
  source: MemberRef;
}
export interface TargetGroupResource {
  spec: TargetGroupSpec;
  binding: TargetGroupBindingSpec;
  /** the group member (or Service) that asked for this target group */
  source: MemberRef;
}

export interface StackResources {
  'AWS::EC2::SecurityGroup': Record<string, SecurityGroupResource>;
  'AWS::ElasticLoadBalancingV2::LoadBalancer': Record<string, LoadBalancerResource>;
  /** keyed by port, as a string */
  'AWS::ElasticLoadBalancingV2::Listener': Record<string, ListenerResource>;
  /** keyed `<port>:<priority>` */
  'AWS::ElasticLoadBalancingV2::ListenerRule': Record<string, ListenerRuleResource>;
  /** ALB: `<ingNs>/<ingName>-<svcName>:<port as written>`; NLB: `<svcNs>/<svcName>:<port>` */
  'AWS::ElasticLoadBalancingV2::TargetGroup': Record<string, TargetGroupResource>;
}

export interface Stack {
  /** the stack tag value: an explicit group's name, `namespace/name` of an implicit group or a Service */
  id: string;
  kind: 'ingress' | 'service';
  /** the tags every resource of this stack carries; the plan finds existing resources by them */
  stackTags: Tags;
  /** members in group order (ALB) or the Service (NLB) that contributed; failed members are absent */
  members: MemberRef[];
  resources: StackResources;
}

/** Bad user input, recorded against the object and the field; never thrown. */
export interface MemberError {
  kind: 'Ingress' | 'Service';
  namespace: string;
  name: string;
  /** dotted path or annotation key, e.g. `metadata.annotations["alb.ingress.kubernetes.io/scheme"]` */
  field: string;
  /** names the object and the field; where the LBC has an error string, it is quoted verbatim */
  message: string;
}

/** A failure that stops the whole stack from being applied (e.g. no subnets found): the plan must not act. */
export interface StackError {
  field: string;
  message: string;
}

export interface StackBuild {
  stack: Stack;
  memberErrors: MemberError[];
  /** non-empty means `stack` is incomplete and must not be applied (deleting what is missing would be wrong) */
  stackErrors: StackError[];
}

/** Resource IDs with a fixed value. */
export const RESOURCE_IDS = {
  loadBalancer: 'LoadBalancer',
  managedSecurityGroup: 'ManagedLBSecurityGroup',
} as const;

export function ref(type: ResourceType, id: string, field: string): Ref {
  return { $ref: `#/resources/${type}/${id}/status/${field}` };
}

export function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && typeof (value as Ref).$ref === 'string';
}

export function emptyResources(): StackResources {
  return {
    'AWS::EC2::SecurityGroup': {},
    'AWS::ElasticLoadBalancingV2::LoadBalancer': {},
    'AWS::ElasticLoadBalancingV2::Listener': {},
    'AWS::ElasticLoadBalancingV2::ListenerRule': {},
    'AWS::ElasticLoadBalancingV2::TargetGroup': {},
  };
}
