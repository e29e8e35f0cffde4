/**
 * Why a kubeconfig could not be read, without any of its content. js-yaml's message quotes the
 * lines around a syntax error, and those lines hold tokens and private keys; its reason and
 * position say enough to find the mistake in the file.
 */
export function kubeconfigReadReason(err: unknown): string {
  if (isYamlError(err)) return `${err.reason} (line ${err.mark.line + 1}, column ${err.mark.column + 1})`;
  const message = err instanceof Error ? err.message : String(err);
  // Only the first line: no other error that loading can raise needs more, and a snippet never starts there.
  return message.split('\n', 1)[0]!.trim() || 'unreadable';
}

interface YamlError {
  reason: string;
  mark: { line: number; column: number };
}

function isYamlError(err: unknown): err is YamlError {
  if (typeof err !== 'object' || err === null) return false;
  const { reason, mark } = err as { reason?: unknown; mark?: unknown };
  if (typeof reason !== 'string' || typeof mark !== 'object' || mark === null) return false;
  const { line, column } = mark as { line?: unknown; column?: unknown };
  return typeof line === 'number' && typeof column === 'number';
}
