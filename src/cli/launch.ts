#!/usr/bin/env node
/**
 * The command-line entry. It runs the bundled program (harden-dockerfile-main.js beside it) after
 * compiling it with V8's code cache: the first run writes what V8 made of the bundle's top level
 * to the cache folder, and later runs start from it instead of reading all 1.5 MB of the bundle
 * again (10 to 20 ms of a one-file lint, on a 60 ms Node start). The cache is keyed by Node's
 * version and architecture; V8 rejects one made from other source, which is then written anew.
 * Any failure to read or write it only means a run without it. HARDEN_COMPILE_CACHE=0 turns it off.
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as vm from 'node:vm';
import { defaultCacheDir } from '../effects/cache';

interface Program {
  runCli(): void;
}

function writeAtomic(file: string, data: Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch {
    // A read-only or missing home: the next run compiles without the cache again.
  }
}

function compiled(file: string): Program {
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    cacheFile = path.join(defaultCacheDir(process.env), `compiled-${process.version}-${process.arch}.bin`);
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
    writeAtomic(cacheFile, script.createCachedData());
  const mod = new Module(file);
  mod.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  return mod.exports as Program;
}

/**
 * V8 optimises a function once it has run for a while: its "interrupt budget", 67,584 bytecode units
 * by default. A command-line run lasts under a second, and optimising later leaves it less compiling
 * to do: with 250,000, lint of the 310-file corpus took 513 ms against 567 ms and fix --diff 763 ms
 * against 904 ms (medians of 9 runs), and a run over ten copies of it (2.3 s) took the same time. Set
 * before the program is compiled, so its functions start with it; process-wide, so only here.
 */
setFlagsFromString('--interrupt-budget=250000');

const main = path.join(__dirname, 'harden-dockerfile-main.js');
const program =
  process.env.HARDEN_COMPILE_CACHE === '0' ? (createRequire(main)(main) as Program) : compiled(main);
program.runCli();
