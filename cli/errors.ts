/**
 * One clear line for anything a command throws: a missing file names the path (never a raw `ENOENT`
 * with a stack), everything else gives its message.
 */
export function describeCliError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT' && path) return `no such file or folder: ${path}`;
  if (code === 'EACCES' && path) return `permission denied: ${path}`;
  if (code === 'ENOTDIR' && path) return `not a folder: ${path}`;
  return error.message.trimEnd();
}
