/**
 * The account alias in people's answers (as the account's latest completed scan stored it), and alias-scoped owners-file keys deciding who owns a user from stored data.
 */
import { ownersSourceFromYaml } from '../../../src/adapters/memory/fixed-owners-source';
import { SAMPLE_OWNERS_FILE_YAML } from '../../../src/adapters/memory/sample-account';
import { AppError } from '../../../src/errors';
import { startWorld } from '../../support/in-process-harness';
import { APPROVER, BOB, seen, STRANGER } from '../../support/sample-world';

const LABEL = '`acme-prod` (`111122223333`)';

describe('the account alias in answers', () => {
  it('/mfa-status shows the account by its alias, for an owner and for an approver', async () => {
    const w = await startWorld();
    expect(seen((await w.command(BOB, 'bob'))[0])).toContain(LABEL);
    expect(seen((await w.command(APPROVER, ''))[0])).toContain(LABEL);
    expect(seen((await w.command(APPROVER, 'summary'))[0])).toContain(LABEL);
  });

  it('the DMs and the summary of a scan show it', async () => {
    const w = await startWorld();
    const texts = w.slack.posts.map((p) => seen(p.message));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.includes(LABEL))).toBe(true);
  });

  it('is the alias the latest completed scan stored: the interactions never ask IAM for it', async () => {
    const w = await startWorld();
    w.iam.failWith('listAccountAliases', new AppError('iam_access_denied', 'AWS denied iam:ListAccountAliases.'));
    const before = w.iam.calls.length;
    expect(seen((await w.command(BOB, 'bob'))[0])).toContain(LABEL);
    expect(seen((await w.command(APPROVER, 'alice'))[0])).toContain(LABEL);
    expect(w.iam.calls.slice(before).map((c) => c.operation)).not.toContain('listAccountAliases');
  });
});

describe('alias-scoped owners-file keys in interactions', () => {
  const owners = ownersSourceFromYaml(`${SAMPLE_OWNERS_FILE_YAML}  acme-prod/frank: ${STRANGER}\n`, 'owners file');

  it('make their owner the owner on record of that user: listed, and a lookup allowed', async () => {
    const w = await startWorld({ owners });
    expect(seen((await w.command(STRANGER, ''))[0])).toContain('`frank`');
    const lookup = seen((await w.command(STRANGER, 'frank'))[0]);
    expect(lookup).toContain('`frank`');
    expect(lookup).toContain(LABEL);
    expect(lookup).not.toMatch(/not yours|not one of yours/i);
  });

  it('match nothing while no alias is known (the scan and the interactions could not read it)', async () => {
    const w = await startWorld({
      owners,
      prepareIam: (iam) =>
        iam.failWith('listAccountAliases', new AppError('iam_access_denied', 'AWS denied iam:ListAccountAliases.')),
    });
    expect(seen((await w.command(STRANGER, ''))[0])).not.toContain('`frank`');
  });
});
