/**
 * The text of a slash command as Slack sends it with `should_escape: true` (manifest.yml): `&`, `<`
 * and `>` typed by the person arrive as `&amp;`, `&lt;` and `&gt;`, so a literal `<` only ever
 * opens one of Slack's own tokens: a mention `<@U…|name>`, a channel `<#C…|name>`, a special
 * mention `<!here>`, or a link or email Slack recognised, `<http…|label>` / `<mailto:…|label>`.
 *
 * Read in this order, and only this order: 1. split out the `<…>` tokens; 2. unwrap links and
 * emails to their label; 3. decode the entities in what remains. Decoding last is what keeps a
 * typed `&lt;@U123&gt;` plain text instead of turning it into a mention.
 */
export type CommandPiece =
  /** Text as the person typed it (entities decoded): plain words, or the label of a link or email. */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'user'; readonly userId: string; readonly label: string | null }
  | { readonly kind: 'channel'; readonly channelId: string; readonly label: string | null }
  /** `<!here>`, `<!subteam^S…|@team>`, `<!date^…>`: nothing /mfa-status takes. */
  | { readonly kind: 'special'; readonly label: string };

const TOKEN = /<([^<>]*)>/g;
const USER_TOKEN = /^@([UW][A-Z0-9]+)(?:\|(.*))?$/s;
const CHANNEL_TOKEN = /^#([CGD][A-Z0-9]+)(?:\|(.*))?$/s;

/** The three entities Slack escapes; one pass, so `&amp;lt;` becomes `&lt;` and goes no further. */
export const decodeSlackEntities = (text: string): string =>
  text.replace(/&(amp|lt|gt);/g, (_match, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));

const labelOf = (label: string | undefined): string | null =>
  label === undefined || label === '' ? null : decodeSlackEntities(label);

/** What a link or email token stands for: its label, or without one the address itself. */
const unwrapLink = (inner: string): string => {
  const bar = inner.indexOf('|');
  if (bar >= 0) return inner.slice(bar + 1);
  return inner.startsWith('mailto:') ? inner.slice('mailto:'.length) : inner;
};

const tokenPiece = (inner: string): CommandPiece => {
  const user = USER_TOKEN.exec(inner);
  if (user !== null) return { kind: 'user', userId: user[1] ?? '', label: labelOf(user[2]) };
  const channel = CHANNEL_TOKEN.exec(inner);
  if (channel !== null) return { kind: 'channel', channelId: channel[1] ?? '', label: labelOf(channel[2]) };
  if (inner.startsWith('!')) {
    const bar = inner.indexOf('|');
    return { kind: 'special', label: decodeSlackEntities(bar >= 0 ? inner.slice(bar + 1) : `@${inner.slice(1)}`) };
  }
  return { kind: 'text', text: decodeSlackEntities(unwrapLink(inner)) };
};

/** The command text as pieces, in order; adjacent text (a word next to a link's label) is one piece. */
export const splitCommandText = (raw: string): CommandPiece[] => {
  const pieces: CommandPiece[] = [];
  const push = (piece: CommandPiece): void => {
    const last = pieces.at(-1);
    if (piece.kind === 'text' && last?.kind === 'text')
      pieces[pieces.length - 1] = { kind: 'text', text: last.text + piece.text };
    else if (piece.kind !== 'text' || piece.text !== '') pieces.push(piece);
  };
  let at = 0;
  for (const match of raw.matchAll(TOKEN)) {
    push({ kind: 'text', text: decodeSlackEntities(raw.slice(at, match.index)) });
    push(tokenPiece(match[1] ?? ''));
    at = match.index + match[0].length;
  }
  push({ kind: 'text', text: decodeSlackEntities(raw.slice(at)) });
  return pieces;
};

/** A piece as a person would read it, for quoting what they typed back to them. */
export const pieceText = (piece: CommandPiece): string => {
  switch (piece.kind) {
    case 'text':
      return piece.text;
    case 'user':
      return `@${piece.label ?? piece.userId}`;
    case 'channel':
      return `#${piece.label ?? piece.channelId}`;
    case 'special':
      return piece.label;
  }
};
