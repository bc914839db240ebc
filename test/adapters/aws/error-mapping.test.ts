import {
  EntityTemporarilyUnmodifiableException,
  IAMServiceException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';

import { sanitizeAwsMessage } from '../../../src/adapters/aws/aws-message';
import { toAppError } from '../../../src/adapters/aws/error-mapping';
import { AppError } from '../../../src/errors';

const awsError = (name: string, message: string) =>
  new IAMServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: 403 } });

const loginProfile = { action: 'iam:GetLoginProfile', userName: 'alice' };

describe('toAppError', () => {
  it('names the action, the user and the code for AccessDenied, and says what to grant', () => {
    const cause = awsError(
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: iam:GetLoginProfile on resource: user alice',
    );
    const error = toAppError(cause, loginProfile);

    expect(error.code).toBe('iam_access_denied');
    expect(error.message).toBe(
      'AWS denied iam:GetLoginProfile for user alice (AccessDenied). AWS said: "User: arn:aws:iam::123456789012:user/scanner ' +
        'is not authorized to perform: iam:GetLoginProfile on resource: user alice"',
    );
    expect(error.hint).toBe(
      'Grant iam:GetLoginProfile to the identity mfa-guard runs as (see the IAM policy in the README).',
    );
    expect(error.cause).toBe(cause);
  });

  it('leaves out "for user" when there is no user', () => {
    const error = toAppError(awsError('AccessDenied', ''), { action: 'iam:ListUsers' });
    expect(error.message).toBe('AWS denied iam:ListUsers (AccessDenied).');
    expect(error.hint).toContain('Grant iam:ListUsers');
  });

  it.each([
    ['ExpiredToken', awsError('ExpiredToken', 'The security token included in the request is expired')],
    [
      'InvalidClientTokenId',
      awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
    ],
    ['SignatureDoesNotMatch', awsError('SignatureDoesNotMatch', 'The request signature we calculated does not match')],
    [
      'CredentialsProviderError',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    ],
  ])('points %s at the credential chain', (code, cause) => {
    const error = toAppError(cause, { action: 'sts:GetCallerIdentity' });
    expect(error.code).toBe('iam_access_denied');
    expect(error.message).toContain(`sts:GetCallerIdentity (${code})`);
    expect(error.hint).toContain('AWS_PROFILE');
    expect(error.hint).toContain('AWS_ACCESS_KEY_ID');
    expect(error.hint).toContain('role');
  });

  it('never echoes credential material from the AWS message', () => {
    const cause = awsError(
      'SignatureDoesNotMatch',
      'Key AKIAIOSFODNN7EXAMPLE with secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and token ' +
        'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m rejected',
    );
    const error = toAppError(cause, loginProfile);
    const shown = `${error.message} ${error.hint ?? ''}`;

    expect(shown).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(shown).not.toContain('wJalrXUtnFEMI');
    expect(shown).not.toContain('IQoJb3JpZ2luX2VjEJr');
    expect(shown).toContain('[redacted]');
  });

  it.each([
    ['ECONNREFUSED', 'iam:ListUsers', 'AWS_ENDPOINT_URL_IAM'],
    ['ENOTFOUND', 'sts:GetCallerIdentity', 'AWS_ENDPOINT_URL_STS'],
  ])('sends %s on %s to the network and %s', (code, action, variable) => {
    const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    const error = toAppError(cause, { action });

    expect(error.code).toBe('iam_unexpected');
    expect(error.message).toBe(
      `mfa-guard could not reach AWS for ${action} (${code}). Details: "connect ${code} 127.0.0.1:1"`,
    );
    expect(error.hint).toContain(variable);
    expect(error.hint).toContain('network');
  });

  it('recognises a network failure the SDK re-wrapped into a plain Error without its code', () => {
    const cause = new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4566');
    const error = toAppError(cause, { action: 'iam:ListUsers' });
    expect(error.message).toContain('could not reach AWS for iam:ListUsers (ECONNREFUSED)');
    expect(error.hint).toContain('AWS_ENDPOINT_URL_IAM');
  });

  it('does not mistake a longer word containing a network code for one', () => {
    const error = toAppError(new Error('XECONNREFUSEDX happened'), { action: 'iam:ListUsers' });
    expect(error.message).toContain('failed unexpectedly (Error)');
  });

  it('recognises a TimeoutError as a network problem', () => {
    const cause = Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' });
    expect(toAppError(cause, { action: 'iam:ListUsers' }).hint).toContain('AWS_ENDPOINT_URL_IAM');
  });

  it.each([
    ['Throttling', 'iam_throttled', 'after all retries'],
    ['LimitExceeded', 'iam_limit_exceeded', 'limit'],
    ['ServiceFailure', 'iam_service_failure', 'failed internally'],
    ['InvalidInput', 'iam_invalid_request', 'invalid'],
  ] as const)('maps %s to %s', (name, code, wording) => {
    const error = toAppError(awsError(name, 'x'), loginProfile);
    expect(error.code).toBe(code);
    expect(error.message).toContain(wording);
    expect(error.message).toContain('iam:GetLoginProfile for user alice');
  });

  it.each([
    ['EntityTemporarilyUnmodifiable', awsError('EntityTemporarilyUnmodifiable', 'being changed')],
    [
      'EntityTemporarilyUnmodifiableException',
      new EntityTemporarilyUnmodifiableException({ message: 'being changed', $metadata: {} }),
    ],
  ])('maps %s to iam_throttled, so it is retried later, and says why', (code, cause) => {
    const error = toAppError(cause, { action: 'iam:DeleteLoginProfile', userName: 'alice' });
    expect(error.code).toBe('iam_throttled');
    expect(error.message).toBe(
      `IAM refused iam:DeleteLoginProfile for user alice for now: the entity is temporarily unmodifiable (${code}). AWS said: "being changed"`,
    );
    expect(error.hint).toContain('retry in a few minutes');
    expect(error.hint).not.toContain('scans');
  });

  it.each([
    ['iam:DeleteLoginProfile', true],
    ['iam:GetLoginProfile', false],
    ['iam:ListUsers', false],
  ])('on AccessDenied for %s, points at the exemption deny: %s', (action, mentionsExemption) => {
    const error = toAppError(awsError('AccessDenied', ''), { action, userName: 'alice' });
    expect(error.hint).toContain(
      `Grant ${action} to the identity mfa-guard runs as (see the IAM policy in the README).`,
    );
    expect(error.hint?.includes('mfa-exempt')).toBe(mentionsExemption);
    expect(error.hint?.includes('EXEMPT_TAG_KEY')).toBe(mentionsExemption);
  });

  it.each([
    ['iam:GenerateCredentialReport', 'credential report'],
    ['iam:DeleteLoginProfile', 'which IAM account limit'],
    ['iam:ListUsers', 'which IAM account limit'],
  ])('gives LimitExceeded on %s a hint about the right limit (%s)', (action, wording) => {
    const error = toAppError(awsError('LimitExceeded', 'x'), { action });
    expect(error.code).toBe('iam_limit_exceeded');
    expect(error.hint).toContain(wording);
  });

  it('maps NoSuchEntity by class and says the user probably went away', () => {
    const error = toAppError(new NoSuchEntityException({ message: 'gone', $metadata: {} }), {
      action: 'iam:ListMFADevices',
      userName: 'bob',
    });
    expect(error.code).toBe('iam_no_such_entity');
    expect(error.message).toContain('iam:ListMFADevices for user bob (NoSuchEntityException)');
    expect(error.hint).toContain('deleted');
  });

  it('does not treat inherited object keys as AWS codes', () => {
    const cause = Object.assign(new Error('odd'), { name: 'constructor' });
    const error = toAppError(cause, loginProfile);
    expect(error.code).toBe('iam_unexpected');
    expect(error.message).toContain('(constructor)');
  });

  it.each([
    ['a string', 'kaput', 'UnknownError'],
    ['undefined', undefined, 'UnknownError'],
    [
      'an AggregateError with a Node code',
      Object.assign(new AggregateError([], 'all failed'), { code: 'ECONNRESET' }),
      'ECONNRESET',
    ],
  ])('copes with %s being thrown', (_label, thrown, code) => {
    const error = toAppError(thrown, loginProfile);
    expect(error.message).toContain(`(${code})`);
    expect(error.cause).toBe(thrown);
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('iam_unexpected', 'already mapped');
    expect(toAppError(original, loginProfile)).toBe(original);
  });
});

describe('sanitizeAwsMessage', () => {
  it('keeps ARNs and ordinary text', () => {
    const text = 'User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: iam:ListUsers';
    expect(sanitizeAwsMessage(text)).toBe(text);
  });

  it('folds whitespace onto one line', () => {
    expect(sanitizeAwsMessage('  line one\n\tline two  ')).toBe('line one line two');
  });

  it.each([
    [299, 299],
    [300, 300],
    [5000, 300],
  ])('trims a %i-character message to %i characters', (length, expected) => {
    const trimmed = sanitizeAwsMessage('a '.repeat(length).slice(0, length));
    expect(trimmed.length).toBeLessThanOrEqual(expected);
    expect(trimmed.length).toBeGreaterThanOrEqual(expected - 1);
    expect(trimmed.endsWith('…')).toBe(length > 300);
  });
});
