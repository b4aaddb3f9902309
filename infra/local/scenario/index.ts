/**
 * Scenarios: a YAML file of cluster actions run through the whole local system to convergence,
 * and a JSON report of what AWS ended up holding (docs/scenarios.md).
 *
 *   slbc local run --scenario FILE.yaml --report FILE.json   → runScenarioFile
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ScenarioError } from './errors.js';
import { loadScenario } from './parse.js';
import { type RunOptions, runScenario } from './run.js';

export { ScenarioError } from './errors.js';
export { loadScenario, type ParseOptions, parseScenario } from './parse.js';
export * from './report.js';
export { type RunOptions, runScenario } from './run.js';
export type { Scenario, ScenarioChaos, ScenarioStep, StepKind } from './types.js';

/**
 * Validates the scenario (nothing runs if it is bad), runs it and writes the report.
 * Exit code: 0 converged; 1 not converged (the report is still written) or a bad scenario
 * (the error, naming the step and field, goes to stderr and nothing runs).
 */
export async function runScenarioFile(
  scenarioPath: string,
  reportPath: string,
  options: RunOptions = {},
): Promise<number> {
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = loadScenario(scenarioPath);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    console.error(error.message);
    return 1;
  }
  // progress goes to stderr so the report and --output json on stdout stay clean
  const report = await runScenario(scenario, {
    onProgress: (line) => console.error(line),
    ...options,
  });
  mkdirSync(dirname(resolve(reportPath)), { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.converged)
    console.error(`${scenario.name}: not converged:\n  ${report.differences.join('\n  ')}`);
  return report.converged ? 0 : 1;
}
