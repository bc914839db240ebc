/**
 * Quoting for commands we print for a person to paste into bash or zsh. Both shells must pass the
 * argument through literally, so the bare set is the intersection of what neither expands.
 */

const BARE = /^[A-Za-z0-9_./:@%+,-]+$/;

export function shellQuote(arg: string): string {
  // A leading `=` is filename expansion in zsh (`=ls` → /bin/ls); `=` is outside BARE anyway. A
  // leading `-` is quoted too: it changes nothing for the shell but flags the odd value to a reader.
  if (BARE.test(arg) && !arg.startsWith('-')) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * `--flag VALUE`, or `--flag=VALUE` when VALUE starts with `-`: the AWS CLI (argparse) would
 * otherwise read the value as another option. `flag` may be given with or without leading `--`.
 */
export function cliOption(flag: string, value: string): string {
  const name = flag.replace(/^--/, '');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new Error(`cliOption: "${flag}" is not a CLI flag name`);
  }
  return value.startsWith('-') ? `--${name}=${shellQuote(value)}` : `--${name} ${shellQuote(value)}`;
}
