import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly date: string;
  /** 1-minute load average: other work on the machine skews every timing. */
  readonly load: number;
}

const cpuModel = (): string => {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

export const machine = (): Machine => ({
  cpus: availableParallelism(),
  cpuModel: cpuModel(),
  node: process.version,
  date: new Date().toISOString(),
  load: loadavg()[0] ?? 0,
});

export const describeMachine = (info: Machine): string =>
  `${info.cpus} CPU (${info.cpuModel}), Node ${info.node}, load average ${info.load.toFixed(2)}, ${info.date}`;
