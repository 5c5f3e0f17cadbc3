import { spawnSync } from 'node:child_process';
import { runCli } from '../harness/cli';
import { buildImage, DOCKER, docker, engineAvailable } from '../harness/engine';

/**
 * A shell-form HEALTHCHECK in an image without a shell never passes: Docker runs it under
 * `/bin/sh -c`, which is not there. The fix writes it in exec form; on a real engine the original
 * turns unhealthy and the fixed image healthy.
 */
const describeEngine = engineAvailable('the HEALTHCHECK engine test') ? describe : describe.skip;
const id = `${process.pid}-${Date.now() % 100000}`;

const ORIGINAL =
  'FROM scratch\nCOPY busybox /busybox\n' +
  'HEALTHCHECK --interval=1s --timeout=3s --retries=2 CMD /busybox test -x /busybox || exit 1\n' +
  'CMD ["/busybox", "sleep", "600"]\n';

/** The health the engine reports once it settles (healthy or unhealthy), or the last one seen. */
async function healthOf(tag: string): Promise<string> {
  const name = `hd-health-${id}-${Math.random().toString(36).slice(2, 8)}`;
  docker(['run', '-d', '--name', name, tag]);
  try {
    let status = '';
    for (let i = 0; i < 60; i++) {
      status = docker(['inspect', '--format', '{{.State.Health.Status}}', name]).trim();
      if (status === 'healthy' || status === 'unhealthy') return status;
      await new Promise((r) => setTimeout(r, 500));
    }
    return status;
  } finally {
    spawnSync(DOCKER, ['rm', '-f', name], { stdio: 'ignore' });
  }
}

describeEngine('a probe in exec form in an image without a shell', () => {
  const tags = [`hd-health-orig-${id}`, `hd-health-fixed-${id}`];
  afterAll(() => {
    spawnSync(DOCKER, ['rmi', '-f', ...tags], { stdio: 'ignore' });
  });

  it('the original never turns healthy; the fixed image does', async () => {
    const fixed = await runCli(['fix', '--offline', '-'], { stdin: ORIGINAL });
    expect(fixed.stdout).toContain(
      'HEALTHCHECK --interval=1s --timeout=3s --retries=2 CMD ["/busybox", "test", "-x", "/busybox"]\n',
    );
    expect(fixed.stderr).toMatch(/fixed exec-form-cmd/);
    buildImage(tags[0], ORIGINAL);
    buildImage(tags[1], fixed.stdout);
    expect(await healthOf(tags[0])).toBe('unhealthy');
    expect(await healthOf(tags[1])).toBe('healthy');
  }, 120_000);
});
