import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `auth` (base64 user:password) for a registry, or undefined for anonymous pulls. */
export type Credentials = (registry: string) => Promise<string | undefined>;

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The key Docker files Docker Hub's credentials under. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const HELPER_TIMEOUT_MS = 10_000;
const HELPER_NAME = /^[A-Za-z0-9][\w.-]*$/;

const hostOf = (key: string) => key.replace(/^[a-z]+:\/\//, '').split('/')[0];
const isHub = (host: string) => host === 'docker.io' || host.endsWith('.docker.io');
const matches = (key: string, registry: string) =>
  hostOf(key) === registry || (registry === 'docker.io' && isHub(hostOf(key)));

/** Runs `docker-credential-<helper> get` with the server URL on stdin, as Docker does. */
function askHelper(helper: string, server: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!HELPER_NAME.test(helper)) return Promise.resolve(undefined);
  // child_process is loaded when a helper is first asked: most runs never ask one.
  return import('node:child_process').then(
    ({ execFile }) =>
      new Promise<string | undefined>((resolve) => {
        const child = execFile(
          `docker-credential-${helper}`,
          ['get'],
          { timeout: HELPER_TIMEOUT_MS, maxBuffer: 64 * 1024, encoding: 'utf8', env },
          (err, stdout) => {
            // Not found, no credentials for this server, or a helper that failed: pull anonymously.
            if (err) return resolve(undefined);
            try {
              const { Username, Secret } = JSON.parse(stdout) as { Username?: string; Secret?: string };
              if (typeof Secret !== 'string' || Secret === '') return resolve(undefined);
              // An identity token (username `<token>`) is not a password; Docker uses it elsewhere.
              if (Username === '<token>' || typeof Username !== 'string') return resolve(undefined);
              resolve(Buffer.from(`${Username}:${Secret}`).toString('base64'));
            } catch {
              resolve(undefined);
            }
          },
        );
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(server);
      }),
  );
}

/**
 * Credentials the way Docker finds them in ~/.docker/config.json (or $DOCKER_CONFIG): a
 * `credHelpers` entry for the registry, else the `credsStore` helper, else `auths`. Each answer is
 * asked for once per run. Secrets stay in memory and never reach a message.
 */
export function dockerCredentials(env: NodeJS.ProcessEnv): Credentials {
  const file = path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
  let config: DockerConfig = {};
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch {
    // no Docker config: anonymous pulls only
  }
  const asked = new Map<string, Promise<string | undefined>>();
  const lookup = async (registry: string): Promise<string | undefined> => {
    const server = registry === 'docker.io' ? DOCKER_HUB_KEY : registry;
    const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => matches(key, registry))?.[1];
    if (typeof helper === 'string' && helper) return askHelper(helper, server, env);
    const entry = Object.entries(config.auths ?? {}).find(([key]) => matches(key, registry));
    if (typeof config.credsStore === 'string' && config.credsStore) {
      const stored = await askHelper(config.credsStore, entry?.[0] ?? server, env);
      if (stored) return stored;
    }
    const value = entry?.[1];
    if (typeof value?.auth === 'string' && value.auth) return value.auth;
    if (typeof value?.username === 'string' && typeof value.password === 'string')
      return Buffer.from(`${value.username}:${value.password}`).toString('base64');
    return undefined;
  };
  return (registry) => {
    let found = asked.get(registry);
    if (!found) asked.set(registry, (found = lookup(registry)));
    return found;
  };
}
