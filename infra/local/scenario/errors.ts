import { InvalidInputError } from '../../../shared/errors.js';

/**
 * A scenario that cannot run as written. The message names the file, the step (index and
 * kind) and the field, e.g. `rollout.yaml: step 2 (scale): replicas: must be an integer`.
 */
export class ScenarioError extends InvalidInputError {
  override readonly name: string = 'ScenarioError';
  readonly step: { index: number; kind: string } | undefined;
  readonly field: string;

  constructor(
    source: string,
    step: { index: number; kind: string } | undefined,
    field: string,
    problem: string,
  ) {
    const where = step === undefined ? '' : ` step ${step.index} (${step.kind}):`;
    super(`${source}:${where} ${field}: ${problem}`, {
      subject: {
        kind: 'Scenario',
        name: source,
        field: step === undefined ? field : `steps[${step.index}].${step.kind}.${field}`,
      },
    });
    this.step = step;
    this.field = field;
  }
}
