/**
 * A stand-in for the Hugging Face hub in tests (no hub is reachable where they run): an HTTP server on
 * a random local port with the hub's file layout, `/<org>/<name>/resolve/<revision>/<path>`, serving
 * each model id from a local folder; 404 for anything else. Like the hub, which answers large files
 * with a 302 to a CDN, it redirects ONNX weights and external data to another path on itself
 * (`/cdn/<id>/blob/<revision>/<path>`). Every request path is recorded, in order, for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export interface FakeHubOptions {
  /** Revisions the hub knows (default ['main']); others answer 404 like an unknown revision. */
  revisions?: string[];
  /** Redirect .onnx / .onnx_data files to /cdn/… (default true). */
  redirectLarge?: boolean;
  /** Paths inside a model (e.g. "onnx/model.onnx") whose download breaks off halfway, as a dropped connection does. */
  breakOff?: string[];
}

export interface FakeHub {
  /** The endpoint to pass as --endpoint / HF_ENDPOINT, without a trailing slash. */
  url: string;
  /** Request paths (URL-decoded, without query), in the order they arrived. */
  requests: string[];
  close(): Promise<void>;
}

const LARGE = /\.onnx(_data(_\d+)?)?$/;

/** Starts a fake hub serving `models` (model id → local folder holding its files). */
export async function startFakeHub(models: Record<string, string>, options: FakeHubOptions = {}): Promise<FakeHub> {
  const revisions = options.revisions ?? ['main'];
  const redirectLarge = options.redirectLarge ?? true;
  const requests: string[] = [];

  async function send(res: ServerResponse, req: IncomingMessage, folder: string, path: string): Promise<void> {
    const root = resolve(folder);
    const file = resolve(root, ...path.split('/'));
    if (!file.startsWith(root + sep)) {
      notFound(res, 'EntryNotFound');
      return;
    }
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      notFound(res, 'EntryNotFound');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    if (req.method === 'HEAD') {
      res.end();
    } else if (options.breakOff?.includes(path)) {
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
    } else {
      res.end(body);
    }
  }

  function notFound(res: ServerResponse, code: string): void {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Error-Code': code }).end(`${code}\n`);
  }

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://hub').pathname);
    requests.push(path);
    // /cdn/<id>/blob/<revision>/<path>: where large files are redirected to.
    const cdn = /^\/cdn\/(.+?)\/blob\/([^/]+)\/(.+)$/.exec(path);
    // /<id>/resolve/<revision>/<path>, id being "org/name" or "name".
    const hub = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const match = cdn ?? hub;
    const [, id, revision, file] = match ?? [];
    const folder = id !== undefined ? models[id] : undefined;
    if (!match || folder === undefined) return notFound(res, 'RepoNotFound');
    if (!revisions.includes(revision!)) return notFound(res, 'RevisionNotFound');
    if (hub && redirectLarge && LARGE.test(file!)) {
      res.writeHead(302, { Location: `/cdn/${id}/blob/${revision}/${file}` }).end();
      return;
    }
    void send(res, req, folder, file!);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}
