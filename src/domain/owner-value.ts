/**
 * What may stand for an owner in the owners file or a tag: a Slack user ID (U… or W… for
 * Enterprise Grid), optionally in mention form `<@U…>`, or an email address we can look up later.
 */

export interface OwnerValue {
  readonly kind: 'slack' | 'email';
  readonly value: string;
}

const SLACK_ID = /^[UW][A-Z0-9]{6,}$/;
const SLACK_MENTION = /^<@([UW][A-Z0-9]{6,})>$/;

// Deliberately conservative: a value that merely looks email-ish (spaces, `<>`, quoted local parts,
// IP literals) is rejected rather than sent to Slack's lookup, so a typo surfaces as an error.
const EMAIL_LOCAL = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z]{2,63}$/;

const isEmail = (value: string): boolean => {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels[labels.length - 1];
  return (
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    tld !== undefined &&
    TLD.test(tld) &&
    labels.every((label) => DOMAIN_LABEL.test(label))
  );
};

/** Email values are kept as written (trimmed): Slack's lookup is case-insensitive anyway. */
export function parseOwnerValue(raw: string): OwnerValue | null {
  const value = raw.trim();
  if (SLACK_ID.test(value)) return { kind: 'slack', value };
  const mention = SLACK_MENTION.exec(value);
  if (mention?.[1] !== undefined) return { kind: 'slack', value: mention[1] };
  if (isEmail(value)) return { kind: 'email', value };
  return null;
}
