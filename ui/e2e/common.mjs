// What the scripts that drive the real window share: waiting for tauri-driver, and the
// two measures the benchmarks report (percentiles, PSS).
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Resolves once something accepts connections on `port` (tauri-driver started); rejects after `ms`. */
export function waitForPort(port, ms = 20000) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(); });
      s.on('error', () => (Date.now() > until ? reject(new Error(`port ${port} never opened`)) : setTimeout(attempt, 200)));
    };
    attempt();
  });
}

/** The `p`-th percentile of `xs` (nearest rank). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Proportional set size of one process in kB; 0 when it is gone. */
export function pssKb(pid) {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
