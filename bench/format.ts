/** Plain-text tables for the terminal. Pure. */

export type Align = 'left' | 'right';

/** Columns padded to their widest cell; numbers read best right-aligned. */
export const table = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string => {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        (align[column] ?? (column === 0 ? 'left' : 'right')) === 'left'
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
};

export const ms = (value: number): string => value.toFixed(1);
export const times = (value: number): string => value.toFixed(2);
export const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
/** Dollars with three significant decimals at least: $0.551, $0.125, $0.0134. */
export const usd = (value: number): string =>
  value >= 0.1 ? `$${value.toFixed(3)}` : `$${value.toFixed(4)}`;
export const count = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(2);
