import { processHolder } from '../../src/adapters/process-holder';

describe('processHolder', () => {
  it('differs between two processes with the same hostname and PID (containers running as PID 1)', () => {
    const first = processHolder('bot', 'mfa-guard', 1);
    const second = processHolder('bot', 'mfa-guard', 1);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^bot:mfa-guard:1:[0-9a-f]{12}$/);
  });

  it('names the role, host and PID for people reading the lease', () => {
    expect(processHolder('cli', 'host-a', 42, () => 'abc')).toBe('cli:host-a:42:abc');
  });
});
