/**
 * What `slbc local` applies: an NLB Service in IP mode (only the nlb-target-type annotation;
 * port 80 -> targetPort 8080) with its Deployment, and an IngressGroup of two apps with host
 * and path rules behind one ALB, with the IngressClass for `ingress.k8s.aws/alb`.
 */
export const DEMO_NAMESPACE = 'demo';

function app(
  name: string,
  replicas: number,
  serviceType: 'LoadBalancer' | 'ClusterIP',
  annotations = '',
): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${DEMO_NAMESPACE} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: public.ecr.aws/nginx/nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${DEMO_NAMESPACE}${annotations}
spec:
  type: ${serviceType}
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: 8080, protocol: TCP }]
`;
}

function ingress(name: string, host: string, path: string, order: number): string {
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${DEMO_NAMESPACE}
  annotations:
    alb.ingress.kubernetes.io/group.name: demo
    alb.ingress.kubernetes.io/group.order: "${order}"
    alb.ingress.kubernetes.io/target-type: ip
spec:
  ingressClassName: alb
  rules:
    - host: ${host}
      http:
        paths:
          - { path: ${path}, pathType: Prefix, backend: { service: { name: ${name}, port: { number: 80 } } } }
`;
}

const NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata: { name: ${DEMO_NAMESPACE} }
`;

/** the NLB half: a LoadBalancer Service in IP mode (only the target-type annotation) and its Deployment */
export function nlbDemo(): string {
  const annotations =
    '\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip';
  return [NAMESPACE, app('echo', 3, 'LoadBalancer', annotations)].join('---\n');
}

/** the ALB half: the IngressClass, two apps and their Ingresses in one group */
export function albDemo(): string {
  return [
    NAMESPACE,
    `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: alb }
spec: { controller: ingress.k8s.aws/alb }
`,
    app('shop', 2, 'ClusterIP'),
    app('api', 2, 'ClusterIP'),
    ingress('shop', 'shop.example.com', '/', 10),
    ingress('api', 'api.example.com', '/v1', 20),
  ].join('---\n');
}

/** both halves; applying the namespace twice in one apply is refused, so it goes once */
export function demoManifests(): string {
  return [nlbDemo(), albDemo().replace(`${NAMESPACE}---\n`, '')].join('---\n');
}
