import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/errors.js';
import type { IngestBatch } from '../../../shared/events/audit-ingest.js';
import { ingestSubscriptionEvent } from '../../../shared/events/audit-ingest.js';
import { accepted, throwing } from './corpus.js';
import { auditEvent, CLUSTER, fixture, lambdaEvent, outcome } from './support.js';

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
    expect(accountedLines(batch)).toBe(
      batch.report.messageType === 'CONTROL_MESSAGE' ? 0 : batch.report.linesIn,
    );
    check?.(batch);
  });

  it('names the log event ID of every malformed line', () => {
    const event = lambdaEvent(['not json', auditEvent({ apiVersion: 'v2' })]);
    const batch = ingestSubscriptionEvent(event, { clusters: [CLUSTER] });
    expect(batch.report.malformed.map((problem) => problem.logEventId)).toHaveLength(2);
    for (const problem of batch.report.malformed) expect(problem.logEventId).toMatch(/^\d{50,}$/);
  });

  describe('seeded corruption (fuzz)', () => {
    const good = lambdaEvent([
      fixture('02-pod-status-patch-podip-ready-eks-reconstructed.json'),
      fixture('05-ingress-patch-kubectl-reconstructed.json'),
    ]);
    const random = seeded(7);

    it('a corrupted payload either decodes or throws InvalidInputError, never anything else', () => {
      const data = good.awslogs.data;
      for (let round = 0; round < 300; round += 1) {
        const at = Math.floor(random() * data.length);
        const mutated =
          round % 3 === 0
            ? data.slice(0, at)
            : round % 3 === 1
              ? `${data.slice(0, at)}${'A/+9z'[round % 5]}${data.slice(at + 1)}`
              : `${data.slice(0, at)}${data.slice(at + 4)}`;
        try {
          const batch = ingestSubscriptionEvent({ awslogs: { data: mutated } }, { clusters: [CLUSTER] });
          expect(accountedLines(batch)).toBe(batch.report.linesIn);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
        }
      }
    });

    it('a line cut anywhere is kept, dropped or malformed, never lost and never thrown', () => {
      const line = JSON.stringify(fixture('03-pod-create-replicaset-controller-reconstructed.json'));
      for (let round = 0; round < 300; round += 1) {
        const cut = line.slice(0, Math.floor(random() * line.length));
        const batch = ingestSubscriptionEvent(lambdaEvent([cut, auditEvent()]), { clusters: [CLUSTER] });
        expect(accountedLines(batch)).toBe(2);
        expect(batch.report.kept).toBeGreaterThanOrEqual(1);
      }
    });
  });
});

/** Every line ends somewhere: kept, dropped (by reason), malformed, a duplicate or refused. */
function accountedLines(batch: IngestBatch): number {
  const { report } = batch;
  const dropped = Object.values(report.dropped).reduce((sum, count) => sum + count, 0);
  return report.kept + dropped + report.malformed.length + report.duplicates + report.refused;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
