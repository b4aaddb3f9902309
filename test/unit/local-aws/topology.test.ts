import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTopology, loadTopology, parseTopology } from '../../../infra/local/aws/topology.js';
import { InvalidInputError } from '../../../shared/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'slbc-topology-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaultTopology', () => {
  const topology = defaultTopology();

  it('has one VPC with three public and three private subnets across three zones', () => {
    expect(topology).toMatchObject({
      account: '000000000000',
      region: 'eu-west-1',
      vpc: { id: 'vpc-0local00000000001', cidr: '10.0.0.0/16' },
    });
    const publicZones = topology.subnets
      .filter((s) => s.tags['kubernetes.io/role/elb'] === '1')
      .map((s) => s.availabilityZone);
    const privateZones = topology.subnets
      .filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1')
      .map((s) => s.availabilityZone);
    expect(publicZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(privateZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(topology.subnets.every((s) => s.tags['kubernetes.io/cluster/demo'] === 'shared')).toBe(true);
    expect(topology.clusters.map((c) => c.name)).toEqual(['demo']);
  });

  it('is valid by its own schema', () => {
    expect(parseTopology(topology)).toEqual(topology);
  });
});

describe('loadTopology', () => {
  const minimal = {
    account: '111122223333',
    region: 'us-east-2',
    vpc: { id: 'vpc-abc', cidr: '192.168.0.0/16' },
    subnets: [{ id: 'subnet-a', availabilityZone: 'us-east-2a', cidr: '192.168.1.0/24' }],
  };

  it.each([
    { name: 'JSON', file: 'topology.json', text: JSON.stringify(minimal) },
    {
      name: 'YAML',
      file: 'topology.yaml',
      text: 'account: "111122223333"\nregion: us-east-2\nvpc: { id: vpc-abc, cidr: 192.168.0.0/16 }\nsubnets:\n  - { id: subnet-a, availabilityZone: us-east-2a, cidr: 192.168.1.0/24 }\n',
    },
  ])('reads $name and fills defaults', ({ file, text }) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    expect(loadTopology(path)).toEqual({
      ...minimal,
      subnets: [{ ...minimal.subnets[0], tags: {} }],
      clusters: [],
    });
  });

  it.each([
    {
      name: 'a short account',
      edit: { account: '123' },
      field: 'account',
      message: /account: must be 12 digits/,
    },
    {
      name: 'a bad CIDR',
      edit: { vpc: { id: 'vpc-abc', cidr: '192.168.0.0/33' } },
      field: 'vpc.cidr',
      message: /vpc\.cidr: must be an IPv4 CIDR/,
    },
    {
      name: 'a subnet in another region',
      edit: { subnets: [{ id: 'subnet-a', availabilityZone: 'eu-west-1a', cidr: '192.168.1.0/24' }] },
      field: 'subnets.0.availabilityZone',
      message: /subnets\.0\.availabilityZone: must be a zone of region us-east-2/,
    },
    { name: 'an unknown field', edit: { colour: 'red' }, field: undefined, message: /colour/ },
  ])('rejects $name, naming the field', ({ edit, field, message }) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...minimal, ...edit }));
    let error: unknown;
    try {
      loadTopology(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    if (field !== undefined) expect((error as InvalidInputError).subject?.field).toBe(field);
  });

  it('reports a file that does not parse', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'vpc: [unclosed');
    expect(() => loadTopology(path)).toThrow(/invalid topology file .*broken\.yaml/);
  });
});
