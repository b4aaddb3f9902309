/**
 * PutTargets, ListTargetsByRule, RemoveTargets. Shape violations (ids, ranges) fail the whole
 * call with ValidationException; a target this endpoint cannot honour fails alone, in
 * FailedEntries, as AWS reports per-target problems.
 */
import { AwsApiError } from '../api-error.js';
import { isStandardSqsArn, lambdaFunctionName, NAME_PATTERN } from './arns.js';
import {
  type Input,
  optionalArray,
  optionalInteger,
  optionalObject,
  optionalString,
  page,
  requiredString,
  validationError,
} from './input.js';
import { checkInputTransformer } from './input-transformer.js';
import { parseJsonPath } from './json-path.js';
import type { Target } from './model.js';
import { findRule, type State } from './state.js';

/** eb-quota: targets per rule (hard limit) */
export const MAX_TARGETS_PER_RULE = 5;

/** Target parameters for non-Lambda targets: this endpoint delivers only to Lambda */
const UNSUPPORTED_PARAMETERS = [
  'KinesisParameters',
  'RunCommandParameters',
  'EcsParameters',
  'BatchParameters',
  'SqsParameters',
  'HttpParameters',
  'RedshiftDataParameters',
  'SageMakerPipelineParameters',
  'AppSyncParameters',
];

function ruleOf(state: State, input: Input) {
  const name = requiredString(input, 'Rule', { min: 1, max: 64, pattern: NAME_PATTERN });
  const bus = state.arns.busName(optionalString(input, 'EventBusName', { min: 1, max: 1600 }));
  return findRule(state, bus, name);
}

function listOf(input: Input, field: string, max: number): unknown[] {
  const list = optionalArray(input, field);
  if (list === undefined) throw validationError(`Parameter ${field} is required`);
  if (list.length < 1 || list.length > max)
    throw validationError(`Parameter ${field} must have between 1 and ${max} members; got ${list.length}`);
  return list;
}

/** reads one target; a string return is why this endpoint cannot accept it */
function readTarget(raw: unknown, index: number): Target | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw validationError(`Targets[${index}] must be a structure with Id and Arn`);
  const entry = raw as Input;
  const target: Target = {
    id: requiredString(entry, 'Id', { min: 1, max: 64, pattern: NAME_PATTERN }),
    arn: requiredString(entry, 'Arn', { min: 1, max: 1600 }),
  };
  const retry = optionalObject(entry, 'RetryPolicy');
  if (retry) {
    const attempts = optionalInteger(retry, 'MaximumRetryAttempts', 0, 185);
    const age = optionalInteger(retry, 'MaximumEventAgeInSeconds', 60, 86_400);
    target.retryPolicy = {
      ...(attempts === undefined ? {} : { MaximumRetryAttempts: attempts }),
      ...(age === undefined ? {} : { MaximumEventAgeInSeconds: age }),
    };
  }
  const unsupported = UNSUPPORTED_PARAMETERS.find((key) => entry[key] !== undefined && entry[key] !== null);
  if (unsupported) return `${unsupported} is not supported by the local endpoint`;
  if (lambdaFunctionName(target.arn) === undefined)
    return `Target ${target.arn}: the local endpoint delivers to Lambda functions only (arn:aws:lambda:<region>:<account>:function:<name>)`;
  const input = optionalString(entry, 'Input', { max: 8192 });
  const inputPath = optionalString(entry, 'InputPath', { max: 256 });
  const transformerRaw = entry['InputTransformer'] ?? undefined;
  const transforms = [input, inputPath, transformerRaw].filter(
    (value) => value !== undefined && value !== null,
  );
  if (transforms.length > 1) return 'Only one of Input, InputPath or InputTransformer can be set';
  if (transformerRaw !== undefined && transformerRaw !== null) {
    const transformer = checkInputTransformer(transformerRaw);
    if (typeof transformer === 'string') return transformer;
    target.inputTransformer = transformer;
  }
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch (error) {
      return `Input is not valid JSON: ${(error as Error).message}`;
    }
    target.input = input;
  }
  if (inputPath !== undefined) {
    const steps = parseJsonPath(inputPath);
    if (typeof steps === 'string') return `InputPath is not valid: ${steps}`;
    target.inputPath = inputPath;
  }
  const dlq = optionalObject(entry, 'DeadLetterConfig');
  const dlqArn = dlq ? optionalString(dlq, 'Arn', { min: 1, max: 1600 }) : undefined;
  if (dlqArn !== undefined) {
    if (!isStandardSqsArn(dlqArn))
      return `DeadLetterConfig.Arn ${dlqArn} must be a standard (not FIFO) SQS queue ARN`;
    target.deadLetterArn = dlqArn;
  }
  return target;
}

export function putTargets(state: State, input: Input) {
  const rule = ruleOf(state, input);
  const read = listOf(input, 'Targets', 10).map((raw, i) => readTarget(raw, i));
  const accepted = read.filter((t): t is Target => typeof t !== 'string');
  const afterPut = new Set([...rule.targets.keys(), ...accepted.map((t) => t.id)]);
  if (afterPut.size > MAX_TARGETS_PER_RULE)
    throw new AwsApiError(
      'LimitExceededException',
      `Rule ${rule.name} would have ${afterPut.size} targets; a rule can have at most ${MAX_TARGETS_PER_RULE}.`,
    );
  const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
  read.forEach((target, i) => {
    if (typeof target === 'string') {
      const id = (input['Targets'] as Input[])[i]?.['Id'];
      failed.push({ TargetId: String(id), ErrorCode: 'ValidationException', ErrorMessage: target });
    } else {
      rule.targets.set(target.id, target);
    }
  });
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

function describe(target: Target) {
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.input === undefined ? {} : { Input: target.input }),
    ...(target.inputPath === undefined ? {} : { InputPath: target.inputPath }),
    ...(target.inputTransformer === undefined
      ? {}
      : {
          InputTransformer: {
            InputPathsMap: target.inputTransformer.inputPathsMap,
            InputTemplate: target.inputTransformer.inputTemplate,
          },
        }),
    ...(target.retryPolicy === undefined ? {} : { RetryPolicy: target.retryPolicy }),
    ...(target.deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: target.deadLetterArn } }),
  };
}

export function listTargetsByRule(state: State, input: Input) {
  const listed = page([...ruleOf(state, input).targets.values()], input);
  return {
    Targets: listed.items.map(describe),
    ...(listed.NextToken ? { NextToken: listed.NextToken } : {}),
  };
}

/** removing an id the rule does not have is not an error, as with AWS */
export function removeTargets(state: State, input: Input) {
  const rule = ruleOf(state, input);
  const ids = listOf(input, 'Ids', 100);
  ids.forEach((id, i) => {
    if (typeof id !== 'string') throw validationError(`Ids[${i}] must be a string`);
    rule.targets.delete(id);
  });
  return { FailedEntryCount: 0, FailedEntries: [] };
}
