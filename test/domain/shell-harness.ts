import { execFileSync } from 'node:child_process';

/** Shells available here to check that printed commands split into the argv we meant. */
export const availableShells = (): string[] =>
  ['bash', 'zsh'].filter((shell) => {
    try {
      execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

/** The argv a shell builds from `command`, printed one word per line by printf. */
export const argvInShell = (shell: string, command: string): string[] => {
  const flags = shell === 'zsh' ? ['-f', '-c'] : ['--norc', '--noprofile', '-c'];
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' };
  const out = execFileSync(shell, [...flags, `printf '%s\\n' ${command}`], { encoding: 'utf8', env });
  return out.split('\n').slice(0, -1);
};
