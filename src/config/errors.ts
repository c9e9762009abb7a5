/** A user-facing failure (unknown user, wrong role, nothing to do): the CLI prints its message alone. */
export class DozorError extends Error {
  override name = 'DozorError';
}
