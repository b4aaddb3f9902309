/**
 * The account, VPC, subnets and clusters the local endpoint starts with. The default mirrors a
 * typical EKS VPC: three public subnets tagged for internet-facing load balancers and three
 * private ones for internal load balancers, all shared with cluster `demo`. A file (JSON or
 * YAML, same shape as `Topology`) replaces it; every field is validated and an error names it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { InvalidInputError } from '../../../shared/errors.js';
import type { Topology } from './context.js';
import { parseCidr } from './ec2/cidr.js';

const cidr = z
  .string()
  .refine((value) => parseCidr(value) !== undefined, 'must be an IPv4 CIDR such as 10.0.0.0/16');

const topologySchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name such as eu-west-1'),
    vpc: z.object({ id: z.string().regex(/^vpc-[0-9a-z]+$/, 'must look like vpc-...'), cidr }).strict(),
    subnets: z
      .array(
        z
          .object({
            id: z.string().regex(/^subnet-[0-9a-z]+$/, 'must look like subnet-...'),
            availabilityZone: z.string().min(1),
            cidr,
            ipv6Cidr: z
              .string()
              .regex(/^[0-9a-f:]+::\/64$/, 'must be an IPv6 /64 such as 2600:1f18:aa:bb00::/64')
              .optional(),
            tags: z.record(z.string(), z.string()).default({}),
          })
          .strict(),
      )
      .min(1),
    clusters: z
      .array(
        z
          .object({
            name: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'must be a valid EKS cluster name'),
            endpoint: z.string().default(''),
            certificateAuthority: z.string().default(''),
            version: z.string().default('1.33'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((topology, ctx) => {
    const seen = new Set<string>();
    topology.subnets.forEach((subnet, index) => {
      if (seen.has(subnet.id))
        ctx.addIssue({ code: 'custom', path: ['subnets', index, 'id'], message: 'is a duplicate' });
      seen.add(subnet.id);
      if (!subnet.availabilityZone.startsWith(topology.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subnets', index, 'availabilityZone'],
          message: `must be a zone of region ${topology.region}`,
        });
      }
    });
  });

export const DEFAULT_CLUSTER = 'demo';

export function defaultTopology(): Topology {
  const region = 'eu-west-1';
  const zones = ['a', 'b', 'c'];
  const shared = { [`kubernetes.io/cluster/${DEFAULT_CLUSTER}`]: 'shared' };
  return {
    account: '000000000000',
    region,
    vpc: { id: 'vpc-0local00000000001', cidr: '10.0.0.0/16' },
    subnets: [
      ...zones.map((zone, i) => ({
        id: `subnet-0public0000000${i + 1}`,
        availabilityZone: `${region}${zone}`,
        cidr: `10.0.${i}.0/24`,
        tags: { Name: `public-${region}${zone}`, 'kubernetes.io/role/elb': '1', ...shared },
      })),
      ...zones.map((zone, i) => ({
        id: `subnet-0private000000${i + 1}`,
        availabilityZone: `${region}${zone}`,
        cidr: `10.0.${16 * (i + 1)}.0/20`,
        tags: { Name: `private-${region}${zone}`, 'kubernetes.io/role/internal-elb': '1', ...shared },
      })),
    ],
    clusters: [{ name: DEFAULT_CLUSTER, endpoint: '', certificateAuthority: '', version: '1.33' }],
  };
}

/** Validates a topology value (e.g. parsed from a file); `source` names it in errors. */
export function parseTopology(value: unknown, source = 'topology'): Topology {
  const result = topologySchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const problems = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const field = issues[0]?.path.join('.');
  throw new InvalidInputError(`invalid ${source}: ${problems.join('; ')}`, {
    subject: { kind: 'Topology', name: source, ...(field ? { field } : {}) },
  });
}

/** Reads a topology from a `.json`, `.yaml` or `.yml` file. */
export function loadTopology(file: string): Topology {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new InvalidInputError(`invalid topology file ${file}: ${(cause as Error).message}`, {
      cause,
      subject: { kind: 'Topology', name: file },
    });
  }
  return parseTopology(value, `topology file ${file}`);
}
