/**
 * Kubernetes Events in the simulated API: events.k8s.io/v1 (what a controller writes: create,
 * then PATCH `series.count` for a repeat, as client-go's event broadcaster does) and the same
 * objects through core/v1 (`involvedObject`, `message`, `count`), as the real API server serves
 * one store under both. Each is validated as the API server validates it, naming the field.
 */
import { randomUUID } from 'node:crypto';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch.js';

export type JsonObject = Record<string, unknown>;

/** One stored Event, in events.k8s.io/v1 shape. */
export interface StoredEvent extends JsonObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
  };
  type: string;
  reason: string;
  note?: string;
  regarding: { kind?: string; namespace?: string; name?: string; apiVersion?: string; uid?: string };
  series?: { count: number; lastObservedTime: string };
}

/** What the scenario report lists (docs/scenarios.md `kubeEvents`). */
export interface KubeEventRecord {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; namespace?: string; name: string };
  /** series.count (or the core/v1 count) when the Event repeated, else 1 */
  count: number;
}

export type EventApi = 'events.k8s.io/v1' | 'v1';

export class EventInvalid extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const TYPES = new Set(['Normal', 'Warning']);
const NOTE_LIMIT = 1024;

/** core/v1 Event → events.k8s.io/v1 fields (the API server's own conversion) */
function fromCore(body: JsonObject): JsonObject {
  const { involvedObject, message, count, source, firstTimestamp, lastTimestamp, ...rest } = body;
  return {
    ...rest,
    ...(involvedObject === undefined ? {} : { regarding: involvedObject }),
    ...(message === undefined ? {} : { note: message }),
    ...(typeof count === 'number' ? { deprecatedCount: count } : {}),
    ...(source === undefined ? {} : { deprecatedSource: source }),
    ...(firstTimestamp === undefined ? {} : { deprecatedFirstTimestamp: firstTimestamp }),
    ...(lastTimestamp === undefined ? {} : { deprecatedLastTimestamp: lastTimestamp }),
    eventTime: rest['eventTime'] ?? firstTimestamp ?? lastTimestamp,
    reportingController: rest['reportingComponent'] ?? (source as { component?: string })?.component,
  };
}

function toCore(event: StoredEvent): JsonObject {
  const { regarding, note, deprecatedCount, deprecatedSource, series, ...rest } = event;
  return {
    ...rest,
    apiVersion: 'v1',
    kind: 'Event',
    involvedObject: regarding,
    message: note ?? '',
    count: series?.count ?? (typeof deprecatedCount === 'number' ? deprecatedCount : 1),
    ...(deprecatedSource === undefined ? {} : { source: deprecatedSource }),
  };
}

function validate(event: JsonObject, api: EventApi): void {
  const core = api === 'v1';
  const field = (events: string, coreName: string) => (core ? coreName : events);
  const regarding = event['regarding'];
  if (typeof regarding !== 'object' || regarding === null)
    throw new EventInvalid(field('regarding', 'involvedObject'), 'Required value');
  const { kind, name } = regarding as { kind?: unknown; name?: unknown };
  if (typeof kind !== 'string' || kind === '')
    throw new EventInvalid(`${field('regarding', 'involvedObject')}.kind`, 'Required value');
  if (typeof name !== 'string' || name === '')
    throw new EventInvalid(`${field('regarding', 'involvedObject')}.name`, 'Required value');
  if (typeof event['type'] !== 'string' || !TYPES.has(event['type']))
    throw new EventInvalid('type', 'Unsupported value: must be "Normal" or "Warning"');
  if (typeof event['reason'] !== 'string' || event['reason'] === '')
    throw new EventInvalid('reason', 'Required value');
  if (!core) {
    if (typeof event['eventTime'] !== 'string') throw new EventInvalid('eventTime', 'Required value');
    for (const required of ['reportingController', 'reportingInstance', 'action'])
      if (typeof event[required] !== 'string' || event[required] === '')
        throw new EventInvalid(required, 'Required value');
  }
  const note = event['note'];
  if (note !== undefined && (typeof note !== 'string' || Buffer.byteLength(note) > NOTE_LIMIT))
    throw new EventInvalid(field('note', 'message'), `must be a string of at most ${NOTE_LIMIT} bytes`);
  const series = event['series'];
  if (
    series !== undefined &&
    (typeof series !== 'object' || series === null || typeof (series as JsonObject)['count'] !== 'number')
  )
    throw new EventInvalid('series.count', 'must be a number');
}

export class EventStore {
  private readonly events = new Map<string, StoredEvent>();
  private version = 0;

  constructor(private readonly now: () => number) {}

  private nextVersion(): string {
    this.version += 1;
    return `e${this.version}`;
  }

  view(event: StoredEvent, api: EventApi): JsonObject {
    return api === 'v1' ? toCore(event) : { ...event, apiVersion: 'events.k8s.io/v1', kind: 'Event' };
  }

  get(namespace: string, name: string): StoredEvent | undefined {
    return this.events.get(`${namespace}/${name}`);
  }

  list(namespace?: string): StoredEvent[] {
    return [...this.events.values()].filter(
      (event) => namespace === undefined || event.metadata.namespace === namespace,
    );
  }

  create(namespace: string, body: unknown, api: EventApi): StoredEvent {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new EventInvalid('(body)', 'must be an Event object');
    const input = api === 'v1' ? fromCore(body as JsonObject) : (body as JsonObject);
    const metadata = (input['metadata'] ?? {}) as {
      name?: unknown;
      generateName?: unknown;
      namespace?: unknown;
    };
    if (metadata.namespace !== undefined && metadata.namespace !== namespace)
      throw new EventInvalid('metadata.namespace', `does not match the namespace of the path (${namespace})`);
    const name =
      typeof metadata.name === 'string' && metadata.name !== ''
        ? metadata.name
        : typeof metadata.generateName === 'string'
          ? `${metadata.generateName}${randomUUID().slice(0, 5)}`
          : undefined;
    if (name === undefined) throw new EventInvalid('metadata.name', 'name or generateName is required');
    if (this.events.has(`${namespace}/${name}`)) throw new EventConflict(namespace, name);
    validate(input, api);
    const event = {
      ...input,
      metadata: {
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    } as StoredEvent;
    delete (event as JsonObject)['apiVersion'];
    delete (event as JsonObject)['kind'];
    this.events.set(`${namespace}/${name}`, event);
    return event;
  }

  /** PATCH (merge, strategic merge or JSON patch) of an existing Event; series.count for a repeat */
  patch(
    namespace: string,
    name: string,
    body: unknown,
    contentType: string,
    api: EventApi,
  ): StoredEvent | undefined {
    const current = this.get(namespace, name);
    if (!current) return undefined;
    const shaped = api === 'v1' ? toCore(current) : current;
    const patched =
      contentType === 'application/json-patch+json'
        ? applyJsonPatch(shaped, body)
        : contentType === 'application/strategic-merge-patch+json'
          ? applyStrategicMergePatch(shaped, body)
          : applyMergePatch(shaped, body);
    const next = (api === 'v1' ? fromCore(patched as JsonObject) : patched) as JsonObject;
    validate(next, api);
    const event = {
      ...next,
      metadata: { ...current.metadata, resourceVersion: this.nextVersion() },
    } as StoredEvent;
    delete (event as JsonObject)['apiVersion'];
    delete (event as JsonObject)['kind'];
    this.events.set(`${namespace}/${name}`, event);
    return event;
  }

  delete(namespace: string, name: string): boolean {
    return this.events.delete(`${namespace}/${name}`);
  }

  /** every Event as the scenario report lists it, oldest first */
  records(): KubeEventRecord[] {
    return [...this.events.values()].map((event) => {
      const { kind = '', namespace, name = '' } = event.regarding;
      const deprecated = (event as JsonObject)['deprecatedCount'];
      return {
        type: event.type,
        reason: event.reason,
        message: event.note ?? '',
        involvedObject: { kind, ...(namespace === undefined ? {} : { namespace }), name },
        count: event.series?.count ?? (typeof deprecated === 'number' ? deprecated : 1),
      };
    });
  }
}

export class EventConflict extends Error {
  constructor(
    readonly namespace: string,
    readonly eventName: string,
  ) {
    super(`events "${eventName}" already exists`);
  }
}

/** `/apis/events.k8s.io/v1/[namespaces/<ns>/]events[/<name>]` and `/api/v1/...` the same */
export function routeEvents(
  pathname: string,
): { api: EventApi; namespace?: string; name?: string } | undefined {
  const match =
    /^\/(?:apis\/(events\.k8s\.io\/v1)|api\/(v1))\/(?:namespaces\/([^/]+)\/)?events(?:\/([^/]+))?\/?$/.exec(
      pathname,
    );
  if (!match) return undefined;
  const api: EventApi = match[1] ? 'events.k8s.io/v1' : 'v1';
  const namespace = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  const name = match[4] === undefined ? undefined : decodeURIComponent(match[4]);
  return { api, ...(namespace === undefined ? {} : { namespace }), ...(name === undefined ? {} : { name }) };
}
