import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_FILE } from '../../../infra/deploy/package.js';

/** The parts of a CloudFormation template the deploy tests read. */

export type Properties = Record<string, unknown>;

export interface CfnResource {
  Type: string;
  Properties?: Properties;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function loadTemplate(outDir: string): CfnTemplate {
  return JSON.parse(readFileSync(join(outDir, TEMPLATE_FILE), 'utf8')) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`template has no resource ${logicalId}`);
  return found;
}

export function props(template: CfnTemplate, logicalId: string): Properties {
  return resource(template, logicalId).Properties ?? {};
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The logical ID a `{ Fn::GetAtt: [id, attr] }` or `{ Ref: id }` points at. */
export function referencedId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') return object.Ref;
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** A statement's Resource as text: '*', the Fn::Sub string, or `GetAtt:<id>` / `Ref:<id>`. */
export function resourceText(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = (value ?? {}) as Record<string, unknown>;
  if (typeof object['Fn::Sub'] === 'string') return object['Fn::Sub'];
  if (Array.isArray(object['Fn::GetAtt'])) return `GetAtt:${object['Fn::GetAtt'].join('.')}`;
  if (typeof object.Ref === 'string') return `Ref:${object.Ref}`;
  return JSON.stringify(value);
}

/** Every Allow statement of a role's inline policies. */
export function roleStatements(template: CfnTemplate, roleId: string): Statement[] {
  const policies = asList(
    props(template, roleId).Policies as { PolicyDocument: { Statement: Statement[] } }[],
  );
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** function name -> the role it runs under */
export function functionRoles(template: CfnTemplate): Record<string, string> {
  const roles: Record<string, string> = {};
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const role = referencedId(fn.Properties?.Role);
    if (role) roles[id.replace(/LambdaFunction$/, '').toLowerCase()] = role;
  }
  return roles;
}
