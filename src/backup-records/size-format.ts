const units = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes for people: `812 B`, `1.5 KiB`, `20.3 MiB` (binary units, one decimal). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
