import { AppError } from '../errors';

/**
 * What an IAM call answers once its signal aborts: the action and the user, why (the signal's
 * reason, e.g. a deadline), and that a change already sent may still happen.
 */
export const abandonedIamCall = (action: string, userName: string | undefined, signal: AbortSignal): AppError => {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : 'the call was abandoned';
  return new AppError(
    'iam_timeout',
    `mfa-guard stopped waiting for ${action}${userName === undefined ? '' : ` for user ${userName}`}: ${why}.`,
    {
      hint:
        'IAM did not answer in time (a slow or unreachable endpoint, or heavy throttling); retry later. A change ' +
        'already sent may still have been carried out, so check the user before acting on it again.',
      ...(reason === undefined ? {} : { cause: reason }),
    },
  );
};

/**
 * Settles as `work` does, unless `signal` aborts first: then it rejects at once with `abandoned()`
 * (before starting `work` when the signal has already aborted). Work already started goes on in the
 * background, as a request already sent to AWS does; only the wait for it ends.
 */
export const abandonOnAbort = async <T>(
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
  abandoned: () => Error,
): Promise<T> => {
  if (signal === undefined) return work();
  if (signal.aborted) throw abandoned();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abandoned());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const started = work();
  // Abandoned work may still fail later; nobody is waiting for it any more.
  started.catch(() => undefined);
  try {
    return await Promise.race([started, aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
};
