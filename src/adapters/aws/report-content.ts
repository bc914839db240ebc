import { type AwsCallContext, unexpectedResponse } from './error-mapping';

/**
 * The SDK has already base64-decoded the report's Content blob into bytes; they are the CSV in
 * UTF-8. Decoding base64 a second time would corrupt it, so this only decodes UTF-8 — strictly,
 * because a silently mangled user name would no longer match its owner.
 */
export const decodeReportContent = (content: Uint8Array, context: AwsCallContext): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw unexpectedResponse(context, 'the credential report Content is not valid UTF-8');
  }
};
