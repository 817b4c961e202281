// Where the two cores go during a bench run, from /proc (Linux): this process, the loopback
// server, this process's other descendants (the Python workers), and the rest of the machine
// (other jobs). With the main thread's event-loop utilisation, it names what holds a core when
// throughput falls short of the ideal.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // exited between the listing and the read
  }
}

function processes() {
  const all = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s !== undefined) all.set(Number(name), s);
  }
  return all;
}

function descendants(all, root) {
  const out = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid }] of all)
      if (!out.has(pid) && (ppid === root || out.has(ppid))) {
        out.add(pid);
        grew = true;
      }
  }
  return out;
}

function machineBusyTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return user + nice + system + irq + softirq + steal;
}

function snapshot(serverPid) {
  const all = processes();
  const server = new Set([serverPid, ...descendants(all, serverPid)]);
  const sum = (pids) => [...pids].reduce((n, pid) => n + (all.get(pid)?.ticks ?? 0), 0);
  const workers = [...descendants(all, process.pid)].filter((pid) => !server.has(pid));
  return {
    at: performance.now(),
    self: all.get(process.pid)?.ticks ?? 0,
    server: sum(server),
    workers: sum(workers),
    machine: machineBusyTicks(),
    elu: performance.eventLoopUtilization(),
    all,
    ours: new Set([process.pid, ...server, ...workers]),
  };
}

function command(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 100);
  } catch {
    return `pid ${pid}`;
  }
}

/** Start measuring; `stop()` gives cores used by each part over the interval, and the ELU. */
export function measureCpuBudget(serverPid) {
  const start = snapshot(serverPid);
  return {
    stop() {
      const end = snapshot(serverPid);
      const seconds = (end.at - start.at) / 1000;
      const cores = (k) => (end[k] - start[k]) / ticksPerSecond / seconds;
      const self = cores('self');
      const server = cores('server');
      const workers = cores('workers');
      // The other processes that used the most CPU in the interval, named by command line
      // (those that started in it count from zero; those that ended in it are only in `others`).
      const busiest = [...end.all]
        .filter(([pid]) => !end.ours.has(pid))
        .map(([pid, { ticks }]) => ({
          pid,
          cores: (ticks - (start.all.get(pid)?.ticks ?? 0)) / ticksPerSecond / seconds,
        }))
        .sort((a, b) => b.cores - a.cores)
        .slice(0, 3)
        .map(({ pid, cores }) => ({ pid, cores, command: command(pid) }));
      return {
        self,
        server,
        workers,
        busiest,
        // Python workers that exited in the interval take their ticks with them; other jobs are
        // what remains of the machine's busy time.
        others: Math.max(0, cores('machine') - self - server - workers),
        eventLoopUtilization: performance.eventLoopUtilization(end.elu, start.elu).utilization,
      };
    },
  };
}
