/**
 * What the API server checks in a pods/status PATCH from a client (a readiness-gate
 * controller): each condition has a type and a status of True, False or Unknown, and the
 * phase, if set, is one Kubernetes knows. Returns the first problem, naming the field.
 */
const PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
const STATUSES = new Set(['True', 'False', 'Unknown']);

export function podStatusProblem(value: unknown): { field: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: 'status', message: 'must be an object' };
  const { phase, conditions } = value as { phase?: unknown; conditions?: unknown };
  if (phase !== undefined && (typeof phase !== 'string' || !PHASES.has(phase)))
    return { field: 'status.phase', message: `must be one of ${[...PHASES].join(', ')}` };
  if (conditions === undefined || conditions === null) return undefined;
  if (!Array.isArray(conditions)) return { field: 'status.conditions', message: 'must be a list' };
  const seen = new Set<string>();
  for (const [i, condition] of conditions.entries()) {
    const field = `status.conditions[${i}]`;
    if (typeof condition !== 'object' || condition === null) return { field, message: 'must be an object' };
    const { type, status } = condition as { type?: unknown; status?: unknown };
    if (typeof type !== 'string' || type === '') return { field: `${field}.type`, message: 'is required' };
    if (seen.has(type)) return { field: `${field}.type`, message: `duplicate condition type ${type}` };
    seen.add(type);
    if (typeof status !== 'string' || !STATUSES.has(status))
      return { field: `${field}.status`, message: 'must be True, False or Unknown' };
  }
  return undefined;
}
