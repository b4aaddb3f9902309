/** EventBridge ARNs and names, as the service writes and accepts them. */
import { validationError } from './input.js';

export const NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
export const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]+$/;

export class Arns {
  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  private base(): string {
    return `arn:aws:events:${this.region}:${this.account}`;
  }

  bus(name: string): string {
    return `${this.base()}:event-bus/${name}`;
  }

  /** rules on the default bus keep AWS's short form `rule/<name>` */
  rule(busName: string, ruleName: string): string {
    return busName === 'default'
      ? `${this.base()}:rule/${ruleName}`
      : `${this.base()}:rule/${busName}/${ruleName}`;
  }

  archive(name: string): string {
    return `${this.base()}:archive/${name}`;
  }

  replay(name: string): string {
    return `${this.base()}:replay/${name}`;
  }

  /** `EventBusName` accepts a name or this account's bus ARN; absent means `default` */
  busName(nameOrArn: string | undefined): string {
    if (nameOrArn === undefined || nameOrArn === '') return 'default';
    if (!nameOrArn.startsWith('arn:')) return nameOrArn;
    const prefix = `${this.base()}:event-bus/`;
    if (!nameOrArn.startsWith(prefix))
      throw validationError(
        `EventBusName ${nameOrArn} is not an event bus ARN of account ${this.account} in ${this.region}`,
      );
    return nameOrArn.slice(prefix.length);
  }

  /** the name in an ARN of the given resource type (`archive`, `replay`, `event-bus`), if it is one */
  nameIn(arn: string, resource: 'archive' | 'replay' | 'event-bus'): string | undefined {
    const prefix = `${this.base()}:${resource}/`;
    return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
  }
}

const LAMBDA_ARN =
  /^arn:aws[\w-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → the function's name */
export function lambdaFunctionName(arn: string): string | undefined {
  return LAMBDA_ARN.exec(arn)?.[3];
}

const SQS_ARN = /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

export function isStandardSqsArn(arn: string): boolean {
  return SQS_ARN.test(arn);
}
