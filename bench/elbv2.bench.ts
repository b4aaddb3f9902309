/**
 * Sequential ELBv2 calls per second through the real SDK client against the local endpoint,
 * in one process: RegisterTargets of 200 IP targets (the load balancer controller's chunk size)
 * and DescribeTargetHealth on a target group of 1,000 targets (the per-group quota). The figure
 * bounds how fast the local stack can converge; the target is 1,000 calls/s for each.
 */

import { Agent, request } from 'node:http';
import {
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type TargetDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startLocalAws } from '../infra/local/aws/index.js';
import { peakRssMiB, writeReport } from './report.js';

const TARGET_CALLS_PER_SECOND = 1000;
const WARMUP = 50;
const MEASURED = 300;

const aws = await startLocalAws({ port: 0 });
const elbv2 = new ElasticLoadBalancingV2Client({
  region: aws.region,
  endpoint: aws.url,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

const ips = (count: number, third: number): TargetDescription[] =>
  Array.from({ length: count }, (_, i) => ({
    Id: `10.0.${third + Math.floor(i / 250)}.${(i % 250) + 1}`,
    Port: 8080,
  }));

async function targetGroup(name: string): Promise<string> {
  const { TargetGroups } = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: aws.topology.vpc.id,
      TargetType: 'ip',
    }),
  );
  return TargetGroups![0]!.TargetGroupArn!;
}

/**
 * Wall-clock rate, and CPU time per call: on a shared machine the wall clock measures the
 * neighbours too, while CPU per call (client and server share this process) does not.
 */
async function callsPerSecond(
  call: () => Promise<unknown>,
): Promise<{ perSecond: number; meanMs: number; cpuMsPerCall: number; perCpuSecond: number }> {
  for (let i = 0; i < WARMUP; i++) await call();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < MEASURED; i++) await call();
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMsPerCall = (used.user + used.system) / 1000 / MEASURED;
  return {
    perSecond: Math.round((MEASURED / elapsed) * 1000),
    meanMs: Math.round((elapsed / MEASURED) * 1000) / 1000,
    cpuMsPerCall: Math.round(cpuMsPerCall * 1000) / 1000,
    perCpuSecond: Math.round(1000 / cpuMsPerCall),
  };
}

/**
 * The endpoint alone: pre-encoded bodies over a keep-alive connection, responses drained but
 * not parsed. The SDK's XML parsing of a 1,000-target answer costs more than serving it, so this
 * separates the server's capacity from the client's.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function rawCall(body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${aws.url}/`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function form(action: string, arn: string, targets: TargetDescription[] = []): string {
  const params = new URLSearchParams({ Action: action, Version: '2015-12-01', TargetGroupArn: arn });
  targets.forEach((target, i) => {
    params.set(`Targets.member.${i + 1}.Id`, target.Id!);
    params.set(`Targets.member.${i + 1}.Port`, String(target.Port));
  });
  return params.toString();
}

try {
  const registerArn = await targetGroup('bench-register');
  const twoHundred = ips(200, 16);
  const register = await callsPerSecond(() =>
    elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: registerArn, Targets: twoHundred })),
  );

  const healthArn = await targetGroup('bench-health');
  const thousand = ips(1000, 32);
  for (let i = 0; i < thousand.length; i += 200) {
    await elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: healthArn, Targets: thousand.slice(i, i + 200) }),
    );
  }
  const sample = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: healthArn }));
  if (sample.TargetHealthDescriptions?.length !== 1000) {
    throw new Error(`expected 1000 targets, got ${sample.TargetHealthDescriptions?.length}`);
  }
  const health = await callsPerSecond(() =>
    elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: healthArn })),
  );

  // the per-call floor: a small answer, so neither side spends time on payload
  const small = await callsPerSecond(() =>
    elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [registerArn] })),
  );

  const registerBody = form('RegisterTargets', registerArn, twoHundred);
  const healthBody = form('DescribeTargetHealth', healthArn);
  const serverRegister = await callsPerSecond(() => rawCall(registerBody));
  const serverHealth = await callsPerSecond(() => rawCall(healthBody));
  const smallBody = new URLSearchParams({
    Action: 'DescribeTargetGroups',
    Version: '2015-12-01',
    'TargetGroupArns.member.1': registerArn,
  }).toString();
  const serverSmall = await callsPerSecond(() => rawCall(smallBody));

  writeReport(
    'elbv2',
    {
      calls: MEASURED,
      viaSdk: {
        registerTargets200: register,
        describeTargetHealth1000: health,
        describeOneTargetGroup: small,
      },
      endpointOnly: {
        registerTargets200: serverRegister,
        describeTargetHealth1000: serverHealth,
        describeOneTargetGroup: serverSmall,
      },
      peakRssMiB: peakRssMiB(),
    },
    [
      {
        metric: 'RegisterTargets (200 targets) calls/s, sequential, via SDK',
        value: register.perSecond,
        target: `>= ${TARGET_CALLS_PER_SECOND}`,
        met: register.perSecond >= TARGET_CALLS_PER_SECOND,
      },
      {
        metric: 'DescribeTargetHealth (1000-target group) calls/s, sequential, via SDK',
        value: health.perSecond,
        target: `>= ${TARGET_CALLS_PER_SECOND}`,
        met: health.perSecond >= TARGET_CALLS_PER_SECOND,
      },
      {
        metric: 'RegisterTargets (200 targets) calls/s, endpoint only (unparsed responses)',
        value: serverRegister.perSecond,
        target: `>= ${TARGET_CALLS_PER_SECOND}`,
        met: serverRegister.perSecond >= TARGET_CALLS_PER_SECOND,
      },
      {
        metric: 'DescribeTargetHealth (1000-target group) calls/s, endpoint only (unparsed responses)',
        value: serverHealth.perSecond,
        target: `>= ${TARGET_CALLS_PER_SECOND}`,
        met: serverHealth.perSecond >= TARGET_CALLS_PER_SECOND,
      },
    ],
  );
} finally {
  agent.destroy();
  await aws.stop();
}
