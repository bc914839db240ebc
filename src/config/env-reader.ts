/**
 * Reads settings from an environment record while collecting every problem, so that start-up can
 * report all of them in one message instead of one per restart. Values are never echoed back:
 * some variables hold secrets, and a problem message is shown to whoever runs the command.
 */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
  readonly example: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  private raw(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  fail(variable: string, problem: string, example: string): void {
    this.problems.push({ variable, problem, example });
  }

  optionalString(
    variable: string,
    check?: { test: (v: string) => boolean; problem: string; example: string },
  ): string | undefined {
    const value = this.raw(variable);
    if (value !== undefined && check && !check.test(value)) {
      this.fail(variable, check.problem, check.example);
      return undefined;
    }
    return value;
  }

  string(
    variable: string,
    fallback: string,
    check?: { test: (v: string) => boolean; problem: string; example: string },
  ): string {
    const value = this.raw(variable) ?? fallback;
    if (check && !check.test(value)) {
      this.fail(variable, check.problem, check.example);
      return fallback;
    }
    return value;
  }

  integer(variable: string, fallback: number, min: number, max: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.fail(variable, `must be a whole number from ${min} to ${max}`, `${variable}=${fallback}`);
      return fallback;
    }
    return Number(value);
  }

  number(variable: string, fallback: number, min: number, max: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min || Number(value) > max) {
      this.fail(variable, `must be a number from ${min} to ${max}`, `${variable}=${fallback}`);
      return fallback;
    }
    return Number(value);
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a === value.toLowerCase());
    if (match === undefined) {
      this.fail(variable, `must be one of ${allowed.join(', ')}`, `${variable}=${fallback}`);
      return fallback;
    }
    return match;
  }

  list(
    variable: string,
    fallback: readonly string[],
    check: { test: (v: string) => boolean; problem: string; example: string },
  ): string[] {
    const value = this.raw(variable);
    if (value === undefined) return [...fallback];
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 0 || !items.every(check.test)) {
      this.fail(variable, check.problem, check.example);
      return [...fallback];
    }
    return items;
  }

  /** A required setting. Returns '' when it is missing or bad: the caller throws on `problems` before using it. */
  requiredString(
    variable: string,
    missing: { problem: string; example: string },
    check?: { test: (v: string) => boolean; problem: string },
  ): string {
    const value = this.raw(variable);
    if (value === undefined) {
      this.fail(variable, missing.problem, missing.example);
      return '';
    }
    if (check && !check.test(value)) {
      this.fail(variable, check.problem, missing.example);
      return '';
    }
    return value;
  }

  boolean(variable: string, fallback: boolean): boolean {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const normalized = value.toLowerCase();
    if (TRUE_WORDS.includes(normalized)) return true;
    if (FALSE_WORDS.includes(normalized)) return false;
    this.fail(variable, 'must be true or false (1/0 and yes/no also work)', `${variable}=${String(fallback)}`);
    return fallback;
  }

  url(variable: string): string | undefined {
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    if (!isHttpUrl(value)) {
      this.fail(variable, 'must be an http:// or https:// URL', `${variable}=https://iam.amazonaws.com`);
      return undefined;
    }
    return value;
  }
}

const TRUE_WORDS: readonly string[] = ['true', '1', 'yes'];
const FALSE_WORDS: readonly string[] = ['false', '0', 'no'];

export const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

export const formatProblems = (problems: readonly ConfigProblem[]): string =>
  [
    `mfa-guard cannot start: ${problems.length} setting${problems.length === 1 ? ' is' : 's are'} invalid.`,
    ...problems.map((p) => `  - ${p.variable} ${p.problem} (for example ${p.example})`),
    'Fix them in the environment or in .env (see .env.example), then run the command again.',
  ].join('\n');
