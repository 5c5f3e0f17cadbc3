/**
 * Preloaded (`node --expose-gc -r memory-probe.js …`) into a benchmarked process: at exit it writes the
 * process's peak RSS and the heap still held after a full collection to the file HARDEN_MEMORY_PROBE names.
 */
import * as fs from 'node:fs';

const out = process.env.HARDEN_MEMORY_PROBE;
if (out) {
  process.on('exit', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const record = {
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapHeldMb: process.memoryUsage().heapUsed / (1024 * 1024),
    };
    fs.writeFileSync(out, JSON.stringify(record));
  });
}
