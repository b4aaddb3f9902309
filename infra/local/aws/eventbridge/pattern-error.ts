import { InvalidInputError } from '../../../../shared/errors.js';

/**
 * An event pattern that EventBridge would reject. `path` names the offending place in the
 * pattern (`detail.state[0].prefix`), so the message points at the field to fix.
 */
export class EventPatternError extends InvalidInputError {
  override readonly name: string = 'EventPatternError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Event pattern is not valid at ${path || '(root)'}: ${reason}`, {
      subject: { kind: 'EventPattern', name: 'event pattern', ...(path ? { field: path } : {}) },
    });
  }
}
