import { createHash } from 'node:crypto';
import type { KubeApi } from './kube-api.js';

/**
 * Kubernetes Events on Ingresses and Services, as `kubectl describe` users expect from the LBC
 * (events.k8s.io/v1). A repeat of the same event (object, type, reason, message) is not a new
 * Event: its `series.count` is patched, as client-go's event broadcaster does. The Event's name
 * is derived from those four, so separate invocations find the same Event without a list.
 */
export interface KubeEvent {
  type: 'Normal' | 'Warning';
  /** e.g. SuccessfullyReconciled, FailedBuildModel, FailedDeployModel */
  reason: string;
  /** names the field where there is one; at most 1 KiB (longer is cut) */
  message: string;
  regarding: { kind: 'Ingress' | 'Service'; namespace: string; name: string; uid?: string };
}

export interface EventRecorder {
  record(cluster: string, event: KubeEvent): Promise<void>;
}

/** the API server's limit on `note` */
const NOTE_LIMIT = 1024;
const REPORTING_CONTROLLER = 'slbc.k8s.aws/stacks';

/** `<object>.<hash>`: a valid Event name (lowercase DNS subdomain), one per distinct event. */
export function eventName(event: KubeEvent): string {
  const { kind, namespace, name } = event.regarding;
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, namespace, name, event.type, event.reason, event.message]))
    .digest('hex')
    .slice(0, 16);
  return `${name.slice(0, 200)}.${digest}`;
}

export function cutNote(message: string): string {
  if (Buffer.byteLength(message) <= NOTE_LIMIT) return message;
  let cut = message.slice(0, NOTE_LIMIT - 3);
  while (Buffer.byteLength(cut) > NOTE_LIMIT - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** The body of a new events.k8s.io/v1 Event. */
export function newEventBody(event: KubeEvent, at: string, instance: string): Record<string, unknown> {
  const { kind, namespace, name, uid } = event.regarding;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: eventName(event), namespace },
    eventTime: at,
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: instance,
    action: event.type === 'Normal' ? 'Reconcile' : 'Reconcile failed',
    type: event.type,
    reason: event.reason,
    note: cutNote(event.message),
    regarding: {
      apiVersion: kind === 'Ingress' ? 'networking.k8s.io/v1' : 'v1',
      kind,
      namespace,
      name,
      ...(uid === undefined ? {} : { uid }),
    },
  };
}

/** The patch of a repeat: the series count one up from what the Event holds. */
export function repeatPatch(existing: Record<string, unknown>, at: string): Record<string, unknown> {
  const series = existing['series'] as { count?: unknown } | undefined;
  const count = typeof series?.count === 'number' ? series.count : 1;
  return { series: { count: count + 1, lastObservedTime: at } };
}

/** The recorder over the cluster's Kubernetes API. */
export function kubeEventRecorder(
  kubeApiFor: (cluster: string) => Promise<Pick<KubeApi, 'getEvent' | 'createEvent' | 'patchEvent'>>,
  options: { now: () => number; instance: string },
): EventRecorder {
  return {
    async record(cluster, event) {
      const api = await kubeApiFor(cluster);
      if (!api.getEvent || !api.createEvent || !api.patchEvent)
        throw new Error('the Kubernetes API client cannot write Events');
      // MicroTime: RFC 3339 with six fractional digits, as the API server parses it
      const at = new Date(options.now()).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
      const { namespace } = event.regarding;
      const name = eventName(event);
      const existing = await api.getEvent(namespace, name);
      if (existing) {
        await api.patchEvent(namespace, name, repeatPatch(existing, at));
        return;
      }
      await api.createEvent(namespace, newEventBody(event, at, options.instance));
    },
  };
}
