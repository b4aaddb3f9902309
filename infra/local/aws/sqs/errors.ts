/**
 * SQS errors as the JSON protocol sends them. SQS moved from awsQuery to JSON 1.0 keeping its
 * old error codes: the body names the modelled shape (`__type`, e.g. `QueueDoesNotExist`) and
 * the `x-amzn-query-error` header the awsQuery code (`AWS.SimpleQueueService.NonExistentQueue;
 * Sender`). The SDK (awsQueryCompatible) reads the header first, so both must be right.
 */
import { AwsApiError } from '../api-error.js';

/** An SQS error: `shape` is the JSON `__type`, `queryCode` the awsQuery code of the header. */
export function sqsError(shape: string, queryCode: string, message: string, status = 400): AwsApiError {
  const error = new AwsApiError(`com.amazonaws.sqs#${shape}`, message, status);
  error.queryCode = queryCode;
  return error;
}

export const nonExistentQueue = (queue: string) =>
  sqsError(
    'QueueDoesNotExist',
    'AWS.SimpleQueueService.NonExistentQueue',
    `The specified queue does not exist: ${queue}`,
  );

/** A parameter out of its documented range; SQS answers these with InvalidParameterValue. */
export const invalidParameter = (parameter: string, value: unknown, reason: string) =>
  sqsError(
    'InvalidParameterValue',
    'InvalidParameterValue',
    `Value ${JSON.stringify(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
  );

export const missingParameter = (parameter: string) =>
  sqsError('MissingParameter', 'MissingParameter', `The request must contain the parameter ${parameter}.`);

export const invalidAttributeName = (name: string) =>
  sqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${name}.`);

export const invalidAttributeValue = (name: string, value: unknown, reason: string) =>
  sqsError(
    'InvalidAttributeValue',
    'InvalidAttributeValue',
    `Invalid value ${JSON.stringify(value)} for the ${name} attribute: ${reason}`,
  );

export const receiptHandleInvalid = (handle: string) =>
  sqsError(
    'ReceiptHandleIsInvalid',
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    404,
  );
