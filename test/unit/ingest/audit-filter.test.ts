import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestPayload } from '../../../shared/events/audit-ingest.js';
import { VERBS } from '../../../shared/events/contract.js';
import { WATCHED_RESOURCES } from '../../../shared/k8s/audit.js';
import { FILTER_PATTERN_MAX_LENGTH, INGEST_FILTER_PATTERN } from '../../../shared/k8s/audit-filter.js';
import { compileFilterPattern } from '../../../shared/k8s/audit-filter-eval.js';
import { decodeSubscriptionEvent } from '../../../shared/k8s/subscription.js';
import { accepted } from './corpus.js';
import { auditEvent, CLUSTER, FIXTURES, fixture, payload } from './support.js';

/**
 * The subscription filter must never drop a line the function would keep. Every sample, the
 * whole bad-input corpus and a generated line for each watched resource x verb x subresource
 * go through the function; each kept line must match INGEST_FILTER_PATTERN.
 */

function corpusLines(): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(FIXTURES).filter((name) => /^0[1-7].*\.json$/.test(name))) {
    lines.push(JSON.stringify(fixture(file)));
  }
  for (const { event } of accepted) {
    const decoded = decodeSubscriptionEvent(event);
    if (decoded.messageType === 'DATA_MESSAGE')
      lines.push(...decoded.logEvents.map((logEvent) => logEvent.message));
  }
  for (const resource of WATCHED_RESOURCES) {
    for (const subresource of [undefined, ...resource.subresources]) {
      for (const verb of VERBS) {
        const objectRef = {
          resource: resource.resource,
          name: 'x',
          ...(resource.apiGroup === '' ? {} : { apiGroup: resource.apiGroup }),
          ...(subresource === undefined ? {} : { subresource }),
        };
        lines.push(JSON.stringify(auditEvent({ verb, objectRef, responseStatus: { code: 201 } })));
      }
    }
  }
  return lines;
}

const isKept = (line: string) => ingestPayload(payload([line]), { clusters: [CLUSTER] }).report.kept === 1;

/** Lines the function keeps that the pattern would filter out: must be none. */
function keptButFiltered(pattern: string, lines: string[]): string[] {
  const matches = compileFilterPattern(pattern);
  return lines.filter((line) => isKept(line) && !matches(line));
}

describe('INGEST_FILTER_PATTERN', () => {
  const lines = corpusLines();

  it('is within the 1024-character filterPattern limit', () => {
    expect(INGEST_FILTER_PATTERN.length).toBeLessThanOrEqual(FILTER_PATTERN_MAX_LENGTH);
  });

  it('passes every line the function keeps (samples, corpus, every resource x verb)', () => {
    const kept = lines.filter(isKept);
    expect(kept.length).toBeGreaterThan(60);
    expect(keptButFiltered(INGEST_FILTER_PATTERN, lines)).toEqual([]);
  });

  it('filters out reads, failed writes and unwatched resources at the source', () => {
    const matches = compileFilterPattern(INGEST_FILTER_PATTERN);
    for (const line of [
      auditEvent({ verb: 'get' }),
      auditEvent({ verb: 'watch', stage: 'ResponseStarted' }),
      auditEvent({ responseStatus: { code: 409 } }),
      auditEvent({ objectRef: { resource: 'configmaps', name: 'c' } }),
      auditEvent({ objectRef: { resource: 'pods', name: 'p', subresource: 'exec' } }),
      fixture('06-endpointslice-update-metadata-only-reconstructed.json'),
    ]) {
      expect(matches(JSON.stringify(line))).toBe(false);
    }
  });

  it.each([
    ['without deletecollection', INGEST_FILTER_PATTERN.replace(' || ($.verb = "deletecollection")', '')],
    ['without nodes', INGEST_FILTER_PATTERN.replace(' || ($.objectRef.resource = "nodes")', '')],
    [
      'without the status subresource',
      INGEST_FILTER_PATTERN.replace(' || ($.objectRef.subresource = "status")', ''),
    ],
    [
      'accepting only 200',
      INGEST_FILTER_PATTERN.replace('($.responseStatus.code < 300)', '($.responseStatus.code < 201)'),
    ],
  ])('catches a too-narrow pattern (%s)', (_name, narrowed) => {
    expect(narrowed).not.toBe(INGEST_FILTER_PATTERN);
    expect(keptButFiltered(narrowed, lines).length).toBeGreaterThan(0);
  });
});

describe('filter pattern evaluator', () => {
  const message = JSON.stringify({ a: 'x', n: 204, o: { s: 'y', arr: [1] }, obj: { k: 1 } });

  it.each([
    ['string equality', '{ $.a = "x" }', true],
    ['string inequality', '{ $.a = "z" }', false],
    ['nested selector', '{ $.o.s = "y" }', true],
    ['numeric >= and <', '{ ($.n >= 200) && ($.n < 300) }', true],
    ['numeric > fails', '{ $.n > 204 }', false],
    ['numeric <= passes', '{ $.n <= 204 }', true],
    ['numeric compare on a string', '{ $.a > 1 }', false],
    ['NOT EXISTS on a missing field', '{ $.missing NOT EXISTS }', true],
    ['NOT EXISTS on a present field', '{ $.a NOT EXISTS }', false],
    ['a selector pointing to an object never matches', '{ $.obj = "x" }', false],
    ['&& binds tighter than ||', '{ $.a = "z" && $.a = "z" || $.o.s = "y" }', true],
    ['parentheses override', '{ $.a = "z" && ($.a = "z" || $.o.s = "y") }', false],
  ])('%s', (_name, pattern, expected) => {
    expect(compileFilterPattern(pattern)(message)).toBe(expected);
  });

  it('matches nothing that is not JSON', () => {
    expect(compileFilterPattern('{ $.a NOT EXISTS }')('plain text')).toBe(false);
  });

  it.each([
    ['!=', '{ $.a != "x" }'],
    ['a wildcard', '{ $.a = "x*" }'],
    ['a regex', '{ $.a = %x% }'],
    ['an array index', '{ $.o.arr[0] = 1 }'],
    ['a missing brace', '{ $.a = "x"'],
    ['IS NULL', '{ $.a IS NULL }'],
  ])('refuses syntax outside its subset: %s', (_name, pattern) => {
    expect(() => compileFilterPattern(pattern)).toThrow(/filter pattern/);
  });
});
