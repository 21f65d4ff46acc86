/**
 * Terra failures in two kinds: retryable ones (429 with its Retry-After, 5xx, timeouts, network errors)
 * spend the job's retries; permanent ones (401, 404, 400, other 4xx) never do.
 */
export class TerraCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'TerraCallError';
  }

  /** Terra no longer serves this user for us: revoked, deauthenticated or unknown. */
  get userRefused(): boolean {
    return this.status === 401 || this.status === 404;
  }
}

/** Maps a status and body (RFC 7807 `{detail}` or legacy `{status: "error", message}`) to a TerraCallError. */
export function terraHttpError(
  what: string,
  status: number,
  body: unknown,
  retryAfter: string | null,
): TerraCallError {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const said = [record.detail, record.message, record.title].find((v) => typeof v === 'string') as
    string | undefined;
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : null;
  const retryable = status === 429 || status === 408 || status >= 500;
  return new TerraCallError(
    `Terra ${what} answered ${status}${said ? `: ${said.slice(0, 200)}` : ''}`,
    retryable,
    status,
    seconds,
  );
}
