import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/errors.js';
import { ingestSubscriptionEvent } from '../../../shared/k8s/audit-ingest.js';
import { accepted, throwing } from './corpus.js';
import { auditEvent, CLUSTER, lambdaEvent, outcome } from './support.js';

/**
 * The bad-input corpus (./corpus.ts): each case names its input and the exact outcome. A
 * corrupt payload throws InvalidInputError naming the field (Lambda keeps it); a bad line is
 * counted and skipped while the rest goes through; odd but valid changes are kept, marked
 * needsResync where the body cannot be trusted.
 */

describe('ingest bad-input corpus', () => {
  it('has at least 20 named cases', () => {
    expect(throwing.length + accepted.length).toBeGreaterThanOrEqual(20);
  });

  it.each(throwing)('$name: throws InvalidInputError naming $field', ({ event, field, message }) => {
    let thrown: unknown;
    try {
      ingestSubscriptionEvent(event, { clusters: [CLUSTER] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).subject?.field).toBe(field);
    expect((thrown as InvalidInputError).message).toMatch(message);
  });

  it.each(accepted)('$name', ({ event, expected, check }) => {
    const batch = ingestSubscriptionEvent(event, { clusters: [CLUSTER] });
    expect(outcome(batch)).toEqual({
      kept: expected.kept,
      dropped: expected.dropped ?? {},
      malformed: expected.malformed ?? [],
      refused: expected.refused ?? 0,
      duplicates: expected.duplicates ?? 0,
      resync: expected.resync ?? 0,
    });
    expect(batch.entries).toHaveLength(expected.kept);
    check?.(batch);
  });

  it('names the log event ID of every malformed line', () => {
    const event = lambdaEvent(['not json', auditEvent({ apiVersion: 'v2' })]);
    const batch = ingestSubscriptionEvent(event, { clusters: [CLUSTER] });
    expect(batch.report.malformed.map((problem) => problem.logEventId)).toHaveLength(2);
    for (const problem of batch.report.malformed) expect(problem.logEventId).toMatch(/^\d{50,}$/);
  });
});
