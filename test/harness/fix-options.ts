import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import type { ShellParser } from '../../src/core/parse-shell';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import type { HardenOptions } from '../../src/engine/harden';
import { offlineResolver, type Resolver } from '../../src/resolve/types';

/** Every rule and fixer with the default configuration: what `fix` runs, answering look-ups offline unless told. */
export function fixOptions(shell: ShellParser, resolver: Resolver = offlineResolver): HardenOptions {
  return { rules, fixers: fixersByRule, config: DEFAULT_CONFIG, resolver, shell, fix: true };
}
