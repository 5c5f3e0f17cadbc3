import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package version, read from the package.json above this file (source and built layouts differ). */
function readVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'harden-dockerfile' && pkg.version) return pkg.version;
    } catch {
      // not here; keep looking upward
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

export const VERSION = readVersion();
