// A tiny static file server for the browser tests: serves one folder at
// http://127.0.0.1:PORT/ on an ephemeral port, the way a plain web server
// would serve the output of `valo build`.
//   "/x/"      -> ROOT/x/index.html
//   "/x"       -> 301 to "/x/" when ROOT/x is a folder
//   not found  -> ROOT/404.html with status 404 (plain text if there is none)
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.ics': 'text/calendar; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.pdf': 'application/pdf',
};

export function contentType(file) {
	return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(p) {
	try { return (await stat(p)).isFile(); } catch { return false; }
}

async function isDir(p) {
	try { return (await stat(p)).isDirectory(); } catch { return false; }
}

// Starts the server; resolves to { url, port, close() }. url ends in "/".
// extra maps URL paths to files outside root that the tests need on the
// same origin (axe-core); they may be cached, the site's files are not.
export async function startServer(root, extra = {}) {
	root = path.resolve(root);
	const server = http.createServer(async (req, res) => {
		try {
			const file = extra[new URL(req.url, 'http://127.0.0.1').pathname];
			if (file) send(req, res, 200, file, await readFile(file), 'max-age=3600');
			else await handle(root, req, res);
		} catch (err) {
			res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
			res.end(String(err?.stack ?? err));
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		port,
		url: `http://127.0.0.1:${port}/`,
		close: () => new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		}),
	};
}

async function handle(root, req, res) {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { allow: 'GET, HEAD' });
		res.end();
		return;
	}
	const url = new URL(req.url, 'http://127.0.0.1');
	let rel;
	try {
		rel = decodeURIComponent(url.pathname);
	} catch {
		return notFound(root, req, res);
	}
	// Resolve inside root only: "..", NUL and the like never leave it.
	const file = path.join(root, path.normalize(rel));
	if (rel.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) {
		return notFound(root, req, res);
	}
	let target = file;
	if (rel.endsWith('/')) {
		target = path.join(file, 'index.html');
	} else if (await isDir(file)) {
		res.writeHead(301, { location: url.pathname + '/' + url.search });
		res.end();
		return;
	}
	if (!(await isFile(target))) return notFound(root, req, res);
	send(req, res, 200, target, await readFile(target));
}

async function notFound(root, req, res) {
	const page = path.join(root, '404.html');
	if (await isFile(page)) {
		send(req, res, 404, page, await readFile(page));
	} else {
		res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(req.method === 'HEAD' ? undefined : 'not found\n');
	}
}

function send(req, res, status, file, body, cache = 'no-store') {
	res.writeHead(status, {
		'content-type': contentType(file),
		'content-length': body.length,
		'cache-control': cache,
	});
	res.end(req.method === 'HEAD' ? undefined : body);
}
