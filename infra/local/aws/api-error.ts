/**
 * An error the local endpoint answers with, in AWS's own shape: the protocol layer turns it
 * into an awsQuery `<ErrorResponse>` or a JSON `__type`, so the SDK raises its modelled
 * exception (`PriorityInUseException`, `ResourceNotFoundException`, ...).
 */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError';
  /**
   * JSON services that kept their awsQuery error codes (SQS) also send this code, with the
   * type, in the `x-amzn-query-error` header; the SDK maps it to the modelled exception.
   */
  queryCode?: string;

  constructor(
    /** AWS's error code, e.g. `PriorityInUse`, `ValidationError`, `Throttling` */
    readonly code: string,
    message: string,
    /** HTTP status; 400 for client errors as AWS does */
    readonly status = 400,
    /** `Sender` or `Receiver` (awsQuery's error type) */
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}
