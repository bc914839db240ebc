/**
 * Checks for the builders' tests. The limits come from test/support/block-kit-limits.ts (the same
 * checker the Slack fake uses), written down from Slack's docs and NOT imported from src, so a
 * builder that miscounts cannot also fool its own test.
 */
import { blockKitProblems } from '../../support/block-kit-limits';

type Json = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every Block Kit limit the message breaks, blocks and text fallback. */
export const limitProblems = (message: unknown): string[] =>
  isObject(message) ? blockKitProblems(message['blocks'], message['text']) : ['the message is not an object'];

/** Every string anywhere in a value (text, labels, values, the fallback). */
export const allStrings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (isObject(value)) return Object.values(value).flatMap(allStrings);
  return [];
};

// The only `<…>` markup our builders may write: a mention of a real-looking user ID and a link to the AWS console.
const ALLOWED_MARKUP = [
  /^<@[UW][A-Z0-9]{2,20}>$/,
  /^<https:\/\/console\.(?:aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/[^\s|<>]*\|[^<>]*>$/,
];

/** `<`, `>` and `&` that are not our own markup or an entity: text that reached Slack unescaped. */
export const unescapedProblems = (message: unknown): string[] =>
  allStrings(message).flatMap((s) => {
    const problems: string[] = [];
    const markup = [...s.matchAll(/<[^<>]*>/g)].map((m) => m[0]);
    for (const tag of markup) if (!ALLOWED_MARKUP.some((re) => re.test(tag))) problems.push(`markup ${tag}`);
    const rest = s.replace(/<[^<>]*>/g, '');
    if (/[<>]/.test(rest)) problems.push(`stray < or > in ${JSON.stringify(s.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/.test(s)) problems.push(`raw & in ${JSON.stringify(s.slice(0, 80))}`);
    return problems;
  });
