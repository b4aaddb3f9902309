import { asList, resourceText, type Statement } from './template.js';

/**
 * A small IAM policy evaluator for the statements serverless.yml produces: enough of AWS's
 * identity-policy logic to ask "would this request be allowed?" offline. It knows action and
 * resource wildcards, Allow/Deny, and the condition operators the template uses; any other
 * operator is an error, so a new kind of condition can never make a check pass by accident.
 *
 * A request names one action and the resources AWS authorises it against (every one must be
 * allowed), each with its tags; request tags and other context keys apply to all of them.
 */

export interface RequestResource {
  /** an ARN, or `GetAtt:<id>.Arn` / `Ref:<id>` for a resource of the template itself */
  arn: string;
  /** the resource's tags, as aws:ResourceTag/<key> sees them */
  tags?: Record<string, string>;
}

export interface Request {
  action: string;
  resources: RequestResource[];
  /** tags in the request, as aws:RequestTag/<key>; their keys are aws:TagKeys */
  requestTags?: Record<string, string>;
  /** tag keys a RemoveTags call names (aws:TagKeys without request tags) */
  tagKeys?: string[];
  /** any other condition keys, e.g. events:source or elasticloadbalancing:CreateAction */
  context?: Record<string, string | string[]>;
}

/** Values substituted into Fn::Sub resources; request ARNs use the same. */
export const ACCOUNT = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

const escapeRegExp = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** IAM globbing: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const body = escapeRegExp(pattern).replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '').test(value);
}

/** A statement Resource as a concrete pattern: Fn::Sub pseudo parameters filled in. */
export function resourcePattern(resource: unknown): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': ACCOUNT.partition,
    'AWS::Region': ACCOUNT.region,
    'AWS::AccountId': ACCOUNT.accountId,
  };
  return resourceText(resource).replace(
    /\$\{(AWS::[A-Za-z]+)\}/g,
    (text, name: string) => pseudo[name] ?? text,
  );
}

type Context = Record<string, string[] | undefined>;

function contextFor(request: Request, resource: RequestResource): Context {
  const context: Context = {};
  for (const [key, value] of Object.entries(resource.tags ?? {})) context[`aws:ResourceTag/${key}`] = [value];
  for (const [key, value] of Object.entries(request.requestTags ?? {}))
    context[`aws:RequestTag/${key}`] = [value];
  const tagKeys = [...Object.keys(request.requestTags ?? {}), ...(request.tagKeys ?? [])];
  if (tagKeys.length > 0) context['aws:TagKeys'] = tagKeys;
  for (const [key, value] of Object.entries(request.context ?? {})) context[key] = asList(value);
  return context;
}

/** Condition keys are case-insensitive in IAM; tag keys after the slash keep their case here. */
function lookup(context: Context, key: string): string[] | undefined {
  const found = Object.keys(context).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : context[found];
}

/** A single-valued operator on an absent key is false: `[].some` says exactly that. */
const some = (actual: string[] | undefined, test: (value: string) => boolean) => (actual ?? []).some(test);
const glob = (expected: string[]) => (value: string) => expected.some((pattern) => globMatch(pattern, value));

const OPERATORS: Record<string, (actual: string[] | undefined, expected: string[]) => boolean> = {
  StringEquals: (actual, expected) => some(actual, (v) => expected.includes(v)),
  StringLike: (actual, expected) => some(actual, glob(expected)),
  ArnEquals: (actual, expected) => some(actual, glob(expected)),
  ArnLike: (actual, expected) => some(actual, glob(expected)),
  Null: (actual, expected) => (expected[0] === 'true') === (actual === undefined),
  // absent keys make ForAllValues true: the template pairs it with Null where that matters
  'ForAllValues:StringEquals': (actual, expected) => (actual ?? []).every((v) => expected.includes(v)),
  'ForAllValues:StringNotEquals': (actual, expected) => (actual ?? []).every((v) => !expected.includes(v)),
  'ForAnyValue:StringEquals': (actual, expected) => some(actual, (v) => expected.includes(v)),
};

function conditionHolds(condition: Statement['Condition'], context: Context): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`the policy evaluator does not know condition operator ${operator}`);
    for (const [key, value] of Object.entries(keys)) {
      const expected = asList(value as string | string[]).map((v) => resourcePattern(v));
      if (!test(lookup(context, key), expected)) return false;
    }
  }
  return true;
}

function statementMatches(statement: Statement, request: Request, resource: RequestResource): boolean {
  const actionMatches = asList(statement.Action).some((pattern) => globMatch(pattern, request.action, true));
  if (!actionMatches) return false;
  const resourceMatches = asList(statement.Resource).some((pattern) =>
    globMatch(resourcePattern(pattern), resource.arn),
  );
  return resourceMatches && conditionHolds(statement.Condition, contextFor(request, resource));
}

export interface Decision {
  allowed: boolean;
  /** the Sids (or actions) of the statements that allowed each resource, for messages */
  by: string[];
}

/** Allowed when every resource is matched by an Allow and none by a Deny. */
export function evaluate(statements: readonly Statement[], request: Request): Decision {
  if (request.resources.length === 0) throw new Error(`${request.action}: a request needs a resource`);
  const by: string[] = [];
  for (const resource of request.resources) {
    const matching = statements.filter((s) => statementMatches(s, request, resource));
    if (matching.some((s) => s.Effect === 'Deny')) return { allowed: false, by: [] };
    const allow = matching.find((s) => s.Effect === 'Allow');
    if (!allow) return { allowed: false, by: [] };
    by.push(allow.Sid ?? asList(allow.Action).join(','));
  }
  return { allowed: true, by };
}
