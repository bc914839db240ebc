const MAX_AWS_MESSAGE_CHARS = 300;

// AWS messages can quote request details. Access key ids and anything shaped like a secret key or
// session token are cut out so that no credential material ends up in logs or Slack.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
const SECRET_LIKE = /[A-Za-z0-9/+=]{40,}/g;

/** AWS's own message text, safe to show: one line, no credential-shaped strings, at most ~300 chars. */
export const sanitizeAwsMessage = (message: string): string => {
  const cleaned = message
    .replace(ACCESS_KEY_ID, '[redacted]')
    .replace(SECRET_LIKE, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length <= MAX_AWS_MESSAGE_CHARS ? cleaned : `${cleaned.slice(0, MAX_AWS_MESSAGE_CHARS - 1)}…`;
};
