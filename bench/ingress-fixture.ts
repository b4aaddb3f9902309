import type { Ingress, Service } from '../shared/k8s/objects.js';

const PATHS_PER_INGRESS = 10;

/**
 * `ingressCount` Ingresses spread over `groupCount` IngressGroups, each with one host and
 * PATHS_PER_INGRESS paths (Prefix and Exact alternating) to its own ClusterIP Service: the
 * input of the model and stacks benchmarks.
 */
export function ingressFixture(
  ingressCount: number,
  groupCount: number,
): { ingresses: Ingress[]; services: Service[] } {
  const ingresses: Ingress[] = [];
  const services: Service[] = [];
  for (let index = 0; index < ingressCount; index += 1) {
    const namespace = `team-${index % 37}`;
    const name = `app-${index}`;
    services.push({
      metadata: { namespace, name, uid: `uid-${index}` },
      spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    ingresses.push({
      metadata: {
        namespace,
        name,
        annotations: {
          'kubernetes.io/ingress.class': 'alb',
          'alb.ingress.kubernetes.io/group.name': `group-${index % groupCount}`,
          'alb.ingress.kubernetes.io/group.order': String(index % 10),
          'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
          'alb.ingress.kubernetes.io/tags': 'owner=platform',
        },
      },
      spec: {
        rules: [
          {
            host: `${name}.example.com`,
            http: {
              paths: Array.from({ length: PATHS_PER_INGRESS }, (_, path) => ({
                path: `/api/v${path}`,
                pathType: path % 2 === 0 ? 'Prefix' : 'Exact',
                backend: { service: { name, port: { name: 'http' } } },
              })),
            },
          },
        ],
      },
    });
  }
  return { ingresses, services };
}
