import { parseStatusCommand, type StatusCommand } from '../../src/domain/status-command';

describe('parseStatusCommand', () => {
  it.each<[string, StatusCommand]>([
    ['', { kind: 'mine' }],
    ['   ', { kind: 'mine' }],
    ['\t\n', { kind: 'mine' }],
    ['summary', { kind: 'summary' }],
    ['Summary', { kind: 'summary' }],
    ['  SUMMARY  ', { kind: 'summary' }],
    ['scan', { kind: 'scan' }],
    ['Scan ', { kind: 'scan' }],
    ['help', { kind: 'help', problem: null }],
    ['HELP', { kind: 'help', problem: null }],
    ['alice', { kind: 'user', userName: 'alice', didYouMean: null }],
    ['  alice  ', { kind: 'user', userName: 'alice', didYouMean: null }],
    ['Alice.Smith', { kind: 'user', userName: 'Alice.Smith', didYouMean: null }],
    ['dana@example.com', { kind: 'user', userName: 'dana@example.com', didYouMean: null }],
    ['svc-deploy_2+x=y,z', { kind: 'user', userName: 'svc-deploy_2+x=y,z', didYouMean: null }],
    ['a'.repeat(64), { kind: 'user', userName: 'a'.repeat(64), didYouMean: null }],
    ['sumary', { kind: 'user', userName: 'sumary', didYouMean: 'summary' }],
    ['Summery', { kind: 'user', userName: 'Summery', didYouMean: 'summary' }],
    ['scna', { kind: 'user', userName: 'scna', didYouMean: 'scan' }],
    ['hlep', { kind: 'user', userName: 'hlep', didYouMean: 'help' }],
    ['x', { kind: 'user', userName: 'x', didYouMean: null }],
    ['scanner', { kind: 'user', userName: 'scanner', didYouMean: null }],
  ])('%j', (text, expected) => {
    expect(parseStatusCommand(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['alice smith', /^"alice smith" is more than one word\. Give one IAM user name, or one of: summary, scan, help\.$/],
    ['scan now', /^"scan now" is more than one word/],
    ['alice\tsmith', /^"alice\tsmith" is more than one word/],
    ['<@U012ABCDEF>', /^"<@U012ABCDEF>" is a Slack user, but \/mfa-status takes an IAM user name/],
    ['<@U012ABCDEF|alice>', /^"<@U012ABCDEF\|alice>" is a Slack user/],
    ['<#C012ABCDEF|security>', /^"<#C012ABCDEF\|security>" is a Slack channel/],
    ['#security', /^"#security" is a Slack channel/],
    ['a'.repeat(65), /^"a{39}…" is longer than 64 characters, the most an IAM user name can have\.$/],
    ['Help!', /^"Help!" is not an IAM user name: those have only letters, digits and \+ = , \. @ _ -$/],
    ['alice/admin', /^"alice\/admin" is not an IAM user name/],
    ['<b>&amp;', /^"<b>&amp;" is not an IAM user name/], // quoted as typed: escaping is the renderer's job
    ['jöhn', /^"jöhn" is not an IAM user name/],
  ])('%j asks for help: %s', (text, problem) => {
    const command = parseStatusCommand(text);
    expect(command.kind).toBe('help');
    expect(command.kind === 'help' ? command.problem : null).toMatch(problem);
  });

  it('quotes at most 40 characters of a long text, without splitting a character', () => {
    const command = parseStatusCommand(`${'😀'.repeat(50)} x`);
    const problem = command.kind === 'help' ? command.problem : null;
    expect(problem).toBe(
      `"${'😀'.repeat(39)}…" is more than one word. Give one IAM user name, or one of: summary, scan, help.`,
    );
  });
});
