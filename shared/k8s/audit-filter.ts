import { KEPT_STAGE, WATCHED_RESOURCES, WRITE_VERBS } from './audit.js';

/**
 * The CloudWatch Logs subscription filter pattern for the ingest function. Most audit lines
 * are reads (every get/list/watch is logged at Request level), so filtering at the source
 * saves invocations and cost. The pattern is built from the same tables the function filters
 * with, and must stay a SUPERSET of what the function keeps: the function still checks every
 * line itself (API group, allowed subresource per resource, dry-run), and
 * test/unit/ingest/audit-filter.test.ts proves that nothing the function keeps is filtered out.
 *
 * JSON filter syntax (CloudWatch Logs "Filter pattern syntax"): `=` on strings, numeric
 * comparisons, `NOT EXISTS`, `&&` binds tighter than `||`, parentheses. Limits: a
 * filterPattern is at most 1024 characters (PutSubscriptionFilter / SubscriptionFilter API);
 * at most 2 regular expressions per pattern (we use none). No documented cap on the number of
 * conditions was found; the length is the binding limit and is tested.
 */

export const FILTER_PATTERN_MAX_LENGTH = 1024;

const anyOf = (selector: string, values: readonly string[]) =>
  `(${values.map((value) => `(${selector} = "${value}")`).join(' || ')})`;

const subresources = [...new Set(WATCHED_RESOURCES.flatMap((entry) => entry.subresources))];

export const INGEST_FILTER_PATTERN = `{ ${[
  `($.stage = "${KEPT_STAGE}")`,
  '($.responseStatus.code >= 200)',
  '($.responseStatus.code < 300)',
  anyOf('$.verb', WRITE_VERBS),
  anyOf(
    '$.objectRef.resource',
    WATCHED_RESOURCES.map((entry) => entry.resource),
  ),
  `(($.objectRef.subresource NOT EXISTS) || ${subresources.map((name) => `($.objectRef.subresource = "${name}")`).join(' || ')})`,
].join(' && ')} }`;
