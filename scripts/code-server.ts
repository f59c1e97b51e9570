// A real VS Code (code-server, pinned) for `npm start` and the end-to-end tests.
//
//   node --import tsx scripts/code-server.ts install [--browser]   system packages + code-server (idempotent)
//   node --import tsx scripts/code-server.ts start [--port N] [--no-package] [--workspace DIR]
//   node --import tsx scripts/code-server.ts stop                  stops the server `start` left running
//   node --import tsx scripts/code-server.ts browser               only Debian's Chromium (webview tests)
//
// Everything lands in `.vscode-test/` inside the clone (gitignored), including npm's download cache,
// so a fresh clone depends on nothing but the npm registry and Debian's packages.
// The e2e harness (test/e2e/harness.ts) imports the same functions, so `npm start` and the tests
// run exactly the same server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = join(repoRoot, '.vscode-test');
export const codeServerDir = join(cacheDir, 'code-server');
export const runsDir = join(cacheDir, 'runs');
export const samplesDir = join(repoRoot, 'samples');
const codeServerPkg = join(codeServerDir, 'node_modules', 'code-server');
const vscodeDir = join(codeServerPkg, 'lib', 'vscode');
const markerFile = join(codeServerDir, '.installed');
const pidFile = join(cacheDir, 'code-server.pid');

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
};
/** `publisher.name`, as VS Code names the extension in logs and in `extensions.json`. */
export const extensionId = `${manifest.publisher}.${manifest.name}`;
/** Where `npm run package` writes the .vsix (outside dist/, so a package never contains an older one). */
export const vsixPath = join(repoRoot, `${manifest.name}.vsix`);

/** Debian packages code-server needs to build/run (kerberos headers, ripgrep for search). */
export const SERVER_APT_PACKAGES = ['libkrb5-dev', 'ripgrep'];
/** Extra Debian packages the browser-driven tests need. */
export const BROWSER_APT_PACKAGES = ['chromium', 'fonts-dejavu-core'];
export const CHROMIUM_PATH = '/usr/bin/chromium';

function log(message: string): void {
  process.stderr.write(`[code-server] ${message}\n`);
}

/** Child npm runs must not inherit the outer `npm run`'s npm_* settings (prefix, cache, scripts policy). */
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return {
    ...env,
    npm_config_cache: join(cacheDir, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    ...extra,
  };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  log(`$ ${cmd} ${args.join(' ')}   (in ${cwd.replace(repoRoot, '.')})`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}) in ${cwd}`);
  }
}

function isAptPackageInstalled(name: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** apt-get installs whatever of `packages` is missing (nothing, and no `apt-get update`, when all are there). */
export function ensureAptPackages(packages: readonly string[]): void {
  const missing = packages.filter((p) => !isAptPackageInstalled(p));
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Other apt users on a shared machine hold the lock for a while: wait instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const [cmd, ...pre] = [...prefix, 'apt-get'];
  log(`installing Debian packages: ${missing.join(' ')}`);
  run(cmd!, [...pre, ...lock, 'update', '-qq'], repoRoot, aptEnv);
  run(cmd!, [...pre, ...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], repoRoot, aptEnv);
}

export function isCodeServerInstalled(): boolean {
  return existsSync(markerFile) && readFileSync(markerFile, 'utf8').trim() === CODE_SERVER_VERSION;
}

/**
 * Installs code-server CODE_SERVER_VERSION into .vscode-test/code-server. Idempotent: a marker file
 * written after the last step makes later runs return at once; a half-done install is redone.
 * code-server's own postinstall refuses to run as root under npm, so its steps are done here by hand.
 */
export function installCodeServer(options: { browser?: boolean } = {}): void {
  ensureAptPackages(options.browser ? [...SERVER_APT_PACKAGES, ...BROWSER_APT_PACKAGES] : SERVER_APT_PACKAGES);
  if (isCodeServerInstalled()) return;
  const started = Date.now();
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(
    join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, description: 'generated by scripts/code-server.ts' }),
  );
  const env = npmEnv();
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], codeServerDir, env);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir, env);
  run(
    'npm',
    ['rebuild', '@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty', '@vscode/deviceid'],
    vscodeDir,
    npmEnv({ npm_config_yes: 'true' }),
  );
  // The workbench loads modules from node_modules.asar in production builds.
  const asar = join(vscodeDir, 'node_modules.asar');
  if (!existsSync(asar)) symlinkSync('node_modules', asar);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], join(vscodeDir, 'extensions'), env);
  // argon2 (password hashing of code-server itself) is hoisted next to code-server: rebuild it from the top.
  run('npm', ['rebuild', 'argon2'], codeServerDir, npmEnv({ npm_config_yes: 'true' }));
  // @vscode/ripgrep's postinstall downloads from GitHub (unreachable here): use Debian's rg.
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  rmSync(join(rgBin, 'rg'), { force: true });
  symlinkSync('/usr/bin/rg', join(rgBin, 'rg'));
  writeFileSync(markerFile, `${CODE_SERVER_VERSION}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Builds the production bundles and the .vsix (`npm run package`). */
export function packageExtension(): void {
  run('npm', ['run', '--silent', 'package'], repoRoot, process.env);
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Settings every run starts with: no welcome page, no trust prompt, no network chatter. */
export const BASE_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  // Keyboard selection helpers rely on End reaching the end of the line, not of a wrapped row.
  'editor.wordWrap': 'off',
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

export interface LaunchOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  host?: string;
  /** Folder copied into the run's fresh workspace (default: samples/). */
  workspaceSource?: string;
  /** Open this folder in place instead of a fresh copy (`npm start -- --workspace DIR`). */
  workspaceDir?: string;
  /** Extension package to install (default: the project's .vsix). `null`: install nothing. */
  vsix?: string | null;
  /** More .vsix files to install next to it (e.g. test fixtures). */
  extraExtensions?: string[];
  /** Merged over BASE_USER_SETTINGS into the fresh User/settings.json. */
  settings?: Record<string, unknown>;
  /** VS Code log level for the server and extension host (`info` default). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Prefix of the fresh run folder under .vscode-test/runs. */
  label?: string;
  /** Forward code-server's own stdout/stderr (default: only kept in server.log). */
  echo?: boolean;
  /**
   * Workspace Trust as users have it (default off, like `--disable-workspace-trust`): the folder opens in
   * Restricted Mode until trusted, with no start-up prompt.
   */
  workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  /** Fresh folder of this run; holds user-data/, extensions/, workspace/, server.log. */
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspaceDir: string;
  /** URL that opens the workbench on the workspace folder. */
  workbenchUrl: string;
  process: ChildProcess;
  /** Stops the whole process group (server, file watcher, extension host) and waits for it. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

function entryJs(): string {
  return join(codeServerPkg, 'out', 'node', 'entry.js');
}

function codeServerArgs(userDataDir: string, extensionsDir: string, workspaceTrust = false): string[] {
  return [
    entryJs(),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
  ];
}

async function waitForHealthz(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

/** Installs packages the way users do (copying folders into the extensions dir would be ignored). */
function installVsixes(packages: string[], userDataDir: string, extensionsDir: string): void {
  if (packages.length === 0) return;
  for (const vsix of packages) {
    if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
  }
  const install = packages.flatMap((vsix) => ['--install-extension', vsix]);
  const r = spawnSync(process.execPath, [...codeServerArgs(userDataDir, extensionsDir), ...install], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`installing ${packages.join(', ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Starts code-server with fresh user-data, extensions and workspace folders (under .vscode-test/runs),
 * the packaged extension installed, and waits until it answers. Requires installCodeServer() first.
 */
export async function launchCodeServer(options: LaunchOptions = {}): Promise<RunningCodeServer> {
  if (!isCodeServerInstalled()) throw new Error('code-server is not installed: run `npm run code-server:install`');
  mkdirSync(runsDir, { recursive: true });
  const runDir = mkdtempSync(join(runsDir, `${options.label ?? 'run'}-`));
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  const workspaceDir = options.workspaceDir ? resolve(options.workspaceDir) : join(runDir, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  if (!options.workspaceDir) cpSync(options.workspaceSource ?? samplesDir, workspaceDir, { recursive: true });
  const trustSettings = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...trustSettings, ...options.settings }, null, 2));

  const vsix = options.vsix === undefined ? vsixPath : options.vsix;
  installVsixes([...(vsix === null ? [] : [vsix]), ...(options.extraExtensions ?? [])], userDataDir, extensionsDir);

  const port = options.port || (await findFreePort());
  const host = options.host ?? '127.0.0.1';
  const logLevel = options.logLevel ?? 'info';
  const args = [
    ...codeServerArgs(userDataDir, extensionsDir, options.workspaceTrust),
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--log',
    logLevel,
    workspaceDir,
  ];
  const logFd = openSync(join(runDir, 'server.log'), 'a');
  // detached: the server gets its own process group, so stop() can end it and all its children at once.
  const child = spawn(process.execPath, args, {
    cwd: workspaceDir,
    detached: true,
    stdio: ['ignore', options.echo ? 'inherit' : logFd, options.echo ? 'inherit' : logFd],
    env: { ...process.env, VSCODE_PROXY_URI: '' },
  });
  // If the caller dies without stop() (a crashed test run), do not leave a server behind.
  const killOnExit = (): void => {
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const url = `http://${host}:${port}`;
  let stopped: Promise<void> | undefined;
  const server: RunningCodeServer = {
    url,
    port,
    runDir,
    userDataDir,
    extensionsDir,
    workspaceDir,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspaceDir)}`,
    process: child,
    stop(stopOptions = {}) {
      stopped ??= (async () => {
        process.off('exit', killOnExit);
        const pid = child.pid;
        if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((r) => child.once('exit', () => r()));
          killGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
          // The extension host and watcher may outlive the server's exit for a moment.
          killGroup(pid, 'SIGKILL');
        }
        if (!stopOptions.keepFiles) rmSync(runDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  try {
    await waitForHealthz(url, child, 60_000);
  } catch (error) {
    await server.stop({ keepFiles: true });
    const tail = readFileSync(join(runDir, 'server.log'), 'utf8').slice(-4000);
    throw new Error(`${(error as Error).message}\n--- ${join(runDir, 'server.log')} ---\n${tail}`);
  }
  return server;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function startCommand(args: string[]): Promise<void> {
  installCodeServer();
  if (!args.includes('--no-package')) packageExtension();
  const port = Number(argValue(args, '--port') ?? process.env.PORT ?? 8080);
  const host = argValue(args, '--host') ?? process.env.HOST ?? '127.0.0.1';
  const workspaceDir = argValue(args, '--workspace');
  const server = await launchCodeServer({ port, host, workspaceDir, label: 'start' });
  // `stop` signals this launcher, which then cleans up like on Ctrl+C; the server pid is the fallback.
  writeFileSync(pidFile, JSON.stringify({ launcher: process.pid, server: server.process.pid }));
  let stopping = false;
  const shutdown = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping code-server…`);
    await server.stop();
    rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl+C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  server.process.on('exit', (code) => {
    if (stopping) return;
    log(`code-server exited (${code}); logs were in ${server.runDir}`);
    rmSync(pidFile, { force: true });
    process.exit(1);
  });
  const shownUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/?folder=${encodeURIComponent(server.workspaceDir)}`;
  process.stdout.write(
    `\nToken Embeddings is running in VS Code (code-server ${CODE_SERVER_VERSION}):\n\n  ${shownUrl}\n\n` +
      `Open the-verdict.txt, select text, then run "Token Embeddings: Inspect Selection" (F1).\n` +
      (workspaceDir ? '' : `(The workspace is a fresh copy of samples/, removed again on stop, like the settings.)\n`) +
      `Press Ctrl+C to stop.\n`,
  );
}

function stopCommand(): void {
  if (!existsSync(pidFile)) {
    log('no code-server started by `npm start` is running');
    return;
  }
  const { launcher, server } = JSON.parse(readFileSync(pidFile, 'utf8')) as { launcher: number; server: number };
  try {
    process.kill(launcher, 'SIGTERM');
    log(`asked the \`npm start\` process (${launcher}) to stop code-server`);
  } catch {
    killGroup(server, 'SIGTERM');
    rmSync(pidFile, { force: true });
    log(`stopped code-server's process group ${server}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'install': {
      const t0 = Date.now();
      installCodeServer({ browser: args.includes('--browser') });
      log(`install ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return;
    }
    case 'browser':
      // Only the Debian Chromium the webview and e2e tests drive (no code-server).
      ensureAptPackages(BROWSER_APT_PACKAGES);
      return;
    case 'start':
      return startCommand(args);
    case 'stop':
      return stopCommand();
    default:
      process.stderr.write('usage: code-server.ts install [--browser] | browser | start [--port N] [--host H] [--workspace DIR] [--no-package] | stop\n');
      process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
