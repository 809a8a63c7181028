/**
 * How to start a module that sits next to the running one, in a child process or a worker
 * thread. Run from the compiled dist/, the sibling is the compiled `.js` file and plain Node runs
 * it; run from the TypeScript sources (tsx, vitest), it is the `.ts` file and tsx loads it.
 * Deciding by the caller's own URL keeps both halves of a run on the same code.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const fromSources = (moduleUrl: string): boolean => moduleUrl.endsWith('.ts');

/** The sibling `name` (no extension) of the module at `moduleUrl`, and the Node flags a child process needs for it. */
export function siblingModule(moduleUrl: string, name: string): { url: URL; execArgv: string[] } {
  if (!fromSources(moduleUrl)) return { url: new URL(`./${name}.js`, moduleUrl), execArgv: [] };
  const tsxLoader = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
  return { url: new URL(`./${name}.ts`, moduleUrl), execArgv: ['--import', tsxLoader] };
}

/**
 * A URL a worker thread can import to get the sibling `name`'s exports. From sources it is a
 * small `data:` module that registers tsx in the worker first: on Node 20 a worker neither
 * inherits the parent's loader hooks nor honours `--import` in its execArgv.
 */
export function workerModuleUrl(moduleUrl: string, name: string): string {
  const { url } = siblingModule(moduleUrl, name);
  if (!fromSources(moduleUrl)) return url.href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const source = [
    `import { register } from ${JSON.stringify(tsxApi)};`,
    'register();',
    `const m = await import(${JSON.stringify(url.href)});`,
    'export default m.default;',
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
