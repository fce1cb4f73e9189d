import { describe, expect, it } from 'vitest';
import { count, kib, table, usd } from '../../../bench/format.ts';

describe('table', () => {
  it('pads the first column left and the others right, under a rule', () => {
    expect(
      table(
        ['name', 'ms'],
        [
          ['a', '1.0'],
          ['longer', '10.5'],
        ],
      ),
    ).toBe(['name      ms', '------  ----', 'a        1.0', 'longer  10.5'].join('\n'));
  });
});

describe('number formats', () => {
  it('keeps small dollar amounts readable', () => {
    expect(usd(0.5511)).toBe('$0.551');
    expect(usd(0.125)).toBe('$0.125');
    expect(usd(0.0023)).toBe('$0.0023');
  });

  it('formats KiB and counts', () => {
    expect(kib(1536)).toBe('1.5');
    expect(count(3)).toBe('3');
    expect(count(2.5)).toBe('2.50');
  });
});
