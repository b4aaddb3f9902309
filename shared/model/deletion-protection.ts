import type { Ingress, Service } from '../k8s/objects.js';
import {
  annotationField,
  INGRESS_PREFIX,
  isGoTrue,
  parseStringMap,
  SERVICE_PREFIX,
} from './annotations/parse.js';
import { memberError } from './ingress/group.js';
import type { MemberError } from './stack.js';

/**
 * The LBC's deletion protection (pkg/ingress/model_builder.go, pkg/service/model_builder.go): an
 * object being deleted whose own attributes annotation sets `deletion_protection.enabled=true` is
 * refused with the LBC's text, and its load balancer is kept. The model sees the object only while
 * a finalizer holds it (deletionTimestamp set); the AWS attribute itself still refuses
 * DeleteLoadBalancer when the object is already gone.
 */

function protectedBy(annotations: Readonly<Record<string, string>>, key: string): boolean {
  const attributes = parseStringMap(annotations, key);
  return attributes.ok && isGoTrue(attributes.value?.['deletion_protection.enabled']);
}

/** Leaving members of a group that would be emptied: one error each whose deletion is protected. */
export function ingressDeletionProtected(leaving: readonly Ingress[]): MemberError[] {
  const key = `${INGRESS_PREFIX}/load-balancer-attributes`;
  return leaving.flatMap((ingress) =>
    protectedBy(ingress.metadata.annotations ?? {}, key)
      ? [
          memberError(
            ingress,
            annotationField(key),
            `deletion_protection is enabled, cannot delete the ingress: ${ingress.metadata.name}`,
          ),
        ]
      : [],
  );
}

/** A LoadBalancer Service being deleted with deletion protection on: its error, or undefined. */
export function serviceDeletionProtected(service: Service): MemberError | undefined {
  if (!service.metadata.deletionTimestamp || service.spec.type !== 'LoadBalancer') return undefined;
  const key = `${SERVICE_PREFIX}/aws-load-balancer-attributes`;
  if (!protectedBy(service.metadata.annotations ?? {}, key)) return undefined;
  const namespace = service.metadata.namespace ?? '';
  const name = service.metadata.name;
  const field = annotationField(key);
  return {
    kind: 'Service',
    namespace,
    name,
    field,
    message: `Service ${namespace}/${name} ${field}: deletion_protection is enabled, cannot delete the service: ${name}`,
  };
}
