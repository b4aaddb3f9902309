/** Event patterns as the API takes them: JSON text, answered with AWS's error code. */
import { AwsApiError } from '../api-error.js';
import { type CompiledPattern, EventPatternError, parseEventPattern } from './pattern.js';

/** eb-quota: event pattern size */
export const MAX_PATTERN_CHARS = 2048;

export function compileEventPattern(text: string): CompiledPattern {
  if (text.length > MAX_PATTERN_CHARS)
    throw new AwsApiError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: it is ${text.length} characters; the limit is ${MAX_PATTERN_CHARS}.`,
    );
  try {
    return parseEventPattern(text);
  } catch (error) {
    if (!(error instanceof EventPatternError)) throw error;
    const where = error.path ? ` at ${error.path}` : '';
    throw new AwsApiError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${error.reason}${where}`,
    );
  }
}
