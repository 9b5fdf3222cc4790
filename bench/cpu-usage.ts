import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by the bench server, the PostgreSQL processes, this process and the machine. */
export interface CpuSnapshot {
  server: number;
  postgres: number;
  loadGenerator: number;
  machineBusy: number;
  machineTotal: number;
}

const TICKS_PER_SECOND = 100;

/** Reads /proc (Linux); null elsewhere, and the bench then prints no CPU line. */
export function snapshotCpu(serverPid: number | undefined): CpuSnapshot | null {
  let machine: number[];
  try {
    machine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
  const snapshot: CpuSnapshot = { server: 0, postgres: 0, loadGenerator: 0, machineBusy: 0, machineTotal: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited in between
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of proc(5): every thread of the process.
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const pid = Number(entry);
    if (pid === serverPid) snapshot.server += seconds;
    else if (pid === process.pid) snapshot.loadGenerator += seconds;
    else if (name === 'postgres' || name.startsWith('postgres:')) snapshot.postgres += seconds;
  }
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const total = machine.slice(0, 8).reduce((sum, value) => sum + value, 0);
  snapshot.machineTotal = total / TICKS_PER_SECOND;
  snapshot.machineBusy = (total - (machine[3] ?? 0) - (machine[4] ?? 0)) / TICKS_PER_SECOND;
  return snapshot;
}

/** "server 7.2 s, PostgreSQL 4.9 s, load generator 1.2 s; machine busy 13.8 of 17.5 core-s" */
export function describeCpu(before: CpuSnapshot | null, after: CpuSnapshot | null): string | null {
  if (before === null || after === null) return null;
  const used = (key: keyof CpuSnapshot) => (after[key] - before[key]).toFixed(1);
  return (
    `server ${used('server')} s, PostgreSQL ${used('postgres')} s, load generator ${used('loadGenerator')} s; ` +
    `machine busy ${used('machineBusy')} of ${used('machineTotal')} core-s`
  );
}
