import { describe, expect, it } from 'vitest';
import { createAlb, createListener, createNlb, createTargetGroup, forwardTo, world } from './fixture.js';

/** Describe/ModifyListenerAttributes on the local ELBv2: the keys AWS knows per protocol. */
describe('local ELBv2: listener attributes', () => {
  it('an HTTP listener describes its defaults, and a modified key reads back', () => {
    const w = world();
    const listener = createListener(w, createAlb(w));
    const read = () =>
      Object.fromEntries(
        w
          .call<{ Attributes: { Key: string; Value: string }[] }>('DescribeListenerAttributes', {
            ListenerArn: listener,
          })
          .Attributes.map((a) => [a.Key, a.Value]),
      );
    expect(read()['routing.http.response.server.enabled']).toBe('true');
    w.call('ModifyListenerAttributes', {
      ListenerArn: listener,
      Attributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }],
    });
    expect(read()['routing.http.response.server.enabled']).toBe('false');
  });

  it.each([
    [
      'a key unknown to HTTP listeners',
      'alb',
      'tcp.idle_timeout.seconds',
      '100',
      'InvalidConfigurationRequest',
    ],
    ['a bad boolean', 'alb', 'routing.http.response.server.enabled', 'no', 'ValidationError'],
    ['a TCP idle timeout under 60 s', 'nlb', 'tcp.idle_timeout.seconds', '30', 'ValidationError'],
    [
      'an HTTP key on a TCP listener',
      'nlb',
      'routing.http.response.server.enabled',
      'false',
      'InvalidConfigurationRequest',
    ],
  ])('%s is refused', (_name, type, key, value, code) => {
    const w = world();
    const listener =
      type === 'alb'
        ? createListener(w, createAlb(w))
        : createListener(w, createNlb(w), {
            Protocol: 'TCP',
            DefaultActions: forwardTo(createTargetGroup(w, { Name: 'tcp', Protocol: 'TCP' })),
          });
    const error = w.errorOf('ModifyListenerAttributes', {
      ListenerArn: listener,
      Attributes: [{ Key: key, Value: value }],
    });
    expect(error.code).toBe(code);
    expect(error.message).toContain(key);
  });

  it('an unknown listener is ListenerNotFound', () => {
    const w = world();
    expect(w.errorOf('DescribeListenerAttributes', { ListenerArn: 'arn:nope' }).code).toBe(
      'ListenerNotFound',
    );
  });
});
