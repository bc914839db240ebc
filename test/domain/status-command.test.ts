import { type CommandPiece, decodeSlackEntities, splitCommandText } from '../../src/domain/slack-command-text';
import { parseStatusCommand, type StatusCommand } from '../../src/domain/status-command';

/**
 * The text arrives as Slack sends it with `should_escape: true`: `&`, `<` and `>` escaped, a mention
 * as `<@U…|name>`, a channel as `<#C…|name>`, a link or an email Slack recognised as `<http…|label>`
 * or `<mailto:…|label>`.
 */
describe('splitCommandText: tokens first, then links unwrapped, then entities decoded', () => {
  it.each<[string, CommandPiece[]]>([
    ['', []],
    ['alice', [{ kind: 'text', text: 'alice' }]],
    ['<@U0BOB12345|bob>', [{ kind: 'user', userId: 'U0BOB12345', label: 'bob' }]],
    ['<@U0BOB12345>', [{ kind: 'user', userId: 'U0BOB12345', label: null }]],
    ['<@W0ENTERPR1|erin>', [{ kind: 'user', userId: 'W0ENTERPR1', label: 'erin' }]],
    ['<#C0SECURITY01|security-alerts>', [{ kind: 'channel', channelId: 'C0SECURITY01', label: 'security-alerts' }]],
    ['<!here>', [{ kind: 'special', label: '@here' }]],
    ['<!subteam^S0TEAM|@sre>', [{ kind: 'special', label: '@sre' }]],
    ['<mailto:a.b@example.com|a.b@example.com>', [{ kind: 'text', text: 'a.b@example.com' }]],
    ['<mailto:a.b@example.com>', [{ kind: 'text', text: 'a.b@example.com' }]],
    ['<http://svc.example.com|svc.example.com>', [{ kind: 'text', text: 'svc.example.com' }]],
    ['<https://example.com/a?b=1&amp;c=2>', [{ kind: 'text', text: 'https://example.com/a?b=1&c=2' }]],
    // A label is text too: decoded after it is unwrapped.
    ['<mailto:x@example.com|a&amp;b>', [{ kind: 'text', text: 'a&b' }]],
    // Typed brackets arrive escaped and stay text: decoding comes last, so no mention appears.
    ['&lt;@U0BOB12345&gt;', [{ kind: 'text', text: '<@U0BOB12345>' }]],
    ['&amp;lt;', [{ kind: 'text', text: '&lt;' }]],
    ['&lt;script&gt;&amp;', [{ kind: 'text', text: '<script>&' }]],
    [
      'x <@U0BOB12345|bob> y',
      [
        { kind: 'text', text: 'x ' },
        { kind: 'user', userId: 'U0BOB12345', label: 'bob' },
        { kind: 'text', text: ' y' },
      ],
    ],
    // Text next to a label is one piece: one word.
    ['ops-<mailto:a@example.com|a@example.com>', [{ kind: 'text', text: 'ops-a@example.com' }]],
  ])('%j', (raw, pieces) => {
    expect(splitCommandText(raw)).toEqual(pieces);
  });

  it.each([
    ['&amp;', '&'],
    ['&lt;&gt;', '<>'],
    ['&amp;amp;', '&amp;'],
    ['&quot;', '&quot;'],
    ['a &amp b', 'a &amp b'],
  ])('decodeSlackEntities(%j) is %j', (raw, decoded) => {
    expect(decodeSlackEntities(raw)).toBe(decoded);
  });
});

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
    ['alice', { kind: 'user', userName: 'alice', account: null, didYouMean: null }],
    ['  alice  ', { kind: 'user', userName: 'alice', account: null, didYouMean: null }],
    ['Alice.Smith', { kind: 'user', userName: 'Alice.Smith', account: null, didYouMean: null }],
    ['dana@example.com', { kind: 'user', userName: 'dana@example.com', account: null, didYouMean: null }],
    ['svc-deploy_2+x=y,z', { kind: 'user', userName: 'svc-deploy_2+x=y,z', account: null, didYouMean: null }],
    ['a'.repeat(64), { kind: 'user', userName: 'a'.repeat(64), account: null, didYouMean: null }],
    ['sumary', { kind: 'user', userName: 'sumary', account: null, didYouMean: 'summary' }],
    ['Summery', { kind: 'user', userName: 'Summery', account: null, didYouMean: 'summary' }],
    ['scna', { kind: 'user', userName: 'scna', account: null, didYouMean: 'scan' }],
    ['hlep', { kind: 'user', userName: 'hlep', account: null, didYouMean: 'help' }],
    ['x', { kind: 'user', userName: 'x', account: null, didYouMean: null }],
    ['scanner', { kind: 'user', userName: 'scanner', account: null, didYouMean: null }],
    // Email-shaped IAM user names, as Slack sends them once it has made them mailto: links.
    [
      '<mailto:a.b@example.com|a.b@example.com>',
      { kind: 'user', userName: 'a.b@example.com', account: null, didYouMean: null },
    ],
    [
      '  <mailto:ops+ci=1,2@example.com|ops+ci=1,2@example.com>  ',
      { kind: 'user', userName: 'ops+ci=1,2@example.com', account: null, didYouMean: null },
    ],
    ['<mailto:a_b-c@example.com>', { kind: 'user', userName: 'a_b-c@example.com', account: null, didYouMean: null }],
    [
      '<http://svc.example.com|svc.example.com>',
      { kind: 'user', userName: 'svc.example.com', account: null, didYouMean: null },
    ],
    ['<mailto:Scan@example.com|SCAN>', { kind: 'scan' }],
    // An account picked by id or alias (matched whatever its case later), then the IAM user name.
    ['111122223333/alice', { kind: 'user', userName: 'alice', account: '111122223333', didYouMean: null }],
    ['  acme-prod/Alice.Smith ', { kind: 'user', userName: 'Alice.Smith', account: 'acme-prod', didYouMean: null }],
    ['Acme-Prod/summary', { kind: 'user', userName: 'summary', account: 'Acme-Prod', didYouMean: null }],
    ['a1/x', { kind: 'user', userName: 'x', account: 'a1', didYouMean: null }],
    ['1234/svc-deploy', { kind: 'user', userName: 'svc-deploy', account: '1234', didYouMean: null }],
    [
      'prod/<mailto:a.b@example.com|a.b@example.com>',
      { kind: 'user', userName: 'a.b@example.com', account: 'prod', didYouMean: null },
    ],
    // One person, with or without the name Slack adds.
    ['<@U0BOB12345|bob>', { kind: 'person', slackId: 'U0BOB12345' }],
    [' <@U0BOB12345> ', { kind: 'person', slackId: 'U0BOB12345' }],
  ])('%j', (text, expected) => {
    expect(parseStatusCommand(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    [
      'alice smith',
      /^"alice smith" is more than one word\. Give one IAM user name, one person, or one of: summary, scan, help\.$/,
    ],
    ['scan now', /^"scan now" is more than one word/],
    ['alice\tsmith', /^"alice\tsmith" is more than one word/],
    ['<@U012ABCDEF|alice> <@U0BOB12345|bob>', /^"@alice @bob" is more than one word/],
    ['<@U012ABCDEF|alice>bob', /^"@alicebob" is more than one word/],
    ['<http://x.example|two words>', /^"two words" is more than one word/],
    ['<#C012ABCDEF|security>', /^"#security" is a Slack channel, but \/mfa-status takes an IAM user name/],
    ['<#C012ABCDEF>', /^"#C012ABCDEF" is a Slack channel/],
    ['#security', /^"#security" is a Slack channel/],
    ['<!here>', /^"@here" is not one person/],
    ['&lt;@U012ABCDEF&gt;', /^"<@U012ABCDEF>" is not an IAM user name/],
    ['a'.repeat(65), /^"a{39}…" is longer than 64 characters, the most an IAM user name can have\.$/],
    ['Help!', /^"Help!" is not an IAM user name: those have only letters, digits and \+ = , \. @ _ -$/],
    // An account picked with a slash: a 12-digit id or something that can be an alias, then a name.
    ['/alice', /^"" is not an AWS account: give its 12-digit id or its alias/],
    ['acme_prod/alice', /^"acme_prod" is not an AWS account/],
    ['-prod/alice', /^"-prod" is not an AWS account/],
    [`${'a'.repeat(64)}/alice`, /^"a{39}…" is not an AWS account/],
    ['acme-prod/', /^"" is not an IAM user name: those have only letters.*\(never \/\)\.$/],
    ['acme-prod/al/ice', /^"al\/ice" is not an IAM user name/],
    ['111122223333/alice!', /^"alice!" is not an IAM user name/],
    ['111122223333/&lt;script&gt;', /^"<script>" is not an IAM user name/],
    ['&lt;b&gt;&amp;amp;', /^"<b>&amp;" is not an IAM user name/], // quoted as typed: escaping is the renderer's job
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
      `"${'😀'.repeat(39)}…" is more than one word. Give one IAM user name, one person, or one of: summary, scan, help.`,
    );
  });
});
