// Starts parley-server as a child process and reads its port from the "listening on" line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export async function startServer({ binary, webRoot, db, port = 0, deadlineMs = 20000,
                                   assistantDelayMs = 20, checkpointMs = 500, extraArgs = [] }) {
  const args = ['--host', '127.0.0.1', '--port', String(port), '--db', db,
                '--web-root', webRoot, '--assistant-delay-ms', String(assistantDelayMs),
                '--checkpoint-ms', String(checkpointMs), ...extraArgs];
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d.toString(); });

  const lines = createInterface({ input: proc.stdout });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${deadlineMs} ms:\n${log}`)),
                             deadlineMs);
    lines.on('line', (line) => {
      const m = line.match(/listening on http:\/\/([^:/]+):(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ host: m[1], port: Number(m[2]) });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${log}`));
    });
  });
  const { host, port: actualPort } = await listening;
  return {
    port: actualPort,
    url: `http://${host}:${actualPort}/`,
    log: () => log,
    // SIGTERM, then the exit code (the server must stop cleanly with 0).
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = once(proc, 'exit');
      proc.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
    // SIGKILL (a crash: nothing is flushed), then waits for the process to be gone.
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

// The end of a test: closes the browser, stops the server (which must exit cleanly with
// 0) and removes the test's temporary folder.
export async function shutDown(browser, server, work) {
  const { rmSync } = await import('node:fs');
  await browser.close();
  const code = await server.stop();
  rmSync(work, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the server exited with ${code}, not 0`);
}
