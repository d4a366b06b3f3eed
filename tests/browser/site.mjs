// Where things are, and which pages the built site has. The pages are
// discovered from the output folder, never listed by hand: the example
// site's content grows while the tests stay the same.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
// run.sh builds the site here; VALO_SITE_DIR points the tests elsewhere.
export const SITE_DIR = path.resolve(process.env.VALO_SITE_DIR ?? path.join(REPO, 'build', 'browser-site'));
export const SCREENSHOT_DIR = path.join(REPO, 'build', 'screenshots');

// Every file under dir whose name passes keep(), as paths relative to dir
// with "/" separators, sorted.
export function walk(dir, keep) {
	const out = [];
	const visit = (rel) => {
		for (const ent of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const r = rel ? `${rel}/${ent.name}` : ent.name;
			if (ent.isDirectory()) visit(r);
			else if (ent.isFile() && keep(ent.name, r)) out.push(r);
		}
	};
	visit('');
	return out.sort();
}

export function htmlFiles(dir = SITE_DIR) {
	return walk(dir, (name) => name.endsWith('.html'));
}

const REFRESH = /<meta\s[^>]*http-equiv\s*=\s*["']?refresh/i;

// The pages of the site: every index.html and 404.html, without the alias
// redirect pages. Each is { file, path, html }: file relative to the output
// folder, path the URL path it is served at ("/", "/a/b/", "/404.html").
export function sitePages(dir = SITE_DIR) {
	const pages = [];
	for (const file of walk(dir, (name) => name === 'index.html' || name === '404.html')) {
		const html = readFileSync(path.join(dir, file), 'utf8');
		if (REFRESH.test(html)) continue;
		let urlPath;
		if (file === 'index.html') urlPath = '/';
		else if (file.endsWith('/index.html')) urlPath = '/' + file.slice(0, -'index.html'.length);
		else urlPath = '/' + file;
		pages.push({ file, path: urlPath, html });
	}
	// The home page first, then the rest in order of their path.
	return pages.sort((a, b) => (a.path === '/' ? -1 : b.path === '/' ? 1 : a.path.localeCompare(b.path)));
}

// The first page with a chart (<figure class="chart ...">), or, if the site
// has none, the first one with a .table-scroll region. { page, kind }.
export function findChartPage(pages) {
	const chart = /<figure\b[^>]*\bclass\s*=\s*"(?:[^"]*\s)?chart(?:\s[^"]*)?"/i;
	const scroll = /\bclass\s*=\s*"(?:[^"]*\s)?table-scroll(?:\s[^"]*)?"/i;
	const withChart = pages.find((p) => chart.test(p.html));
	if (withChart) return { page: withChart, kind: 'chart' };
	const withScroll = pages.find((p) => scroll.test(p.html));
	if (withScroll) return { page: withScroll, kind: 'table-scroll' };
	return { page: null, kind: null };
}

// One page of each kind, for the screenshots: { home, section, page,
// chart, history, change, notFound }, each a page or null. Found from
// the output's structure, not from the theme's words: a change view is
// HISTORY/<12 hex digits>/, its history page is the folder above it (any
// language's segment), a section is a page with content pages under it,
// and a page is one without; the chart page is findChartPage's.
export function pageTypes(pages) {
	const byPath = new Map(pages.map((p) => [p.path, p]));
	const changes = pages.filter((p) => /\/[0-9a-f]{12}\/$/.test(p.path) && byPath.has(parentPath(p.path)));
	const histories = new Set(changes.map((p) => parentPath(p.path)));
	// Anything under a history folder (its change views) is no content page.
	const inHistory = (p) => [...histories].some((h) => p.path.startsWith(h));
	const content = pages.filter((p) => p.path !== '/' && p.path.endsWith('/') && !inHistory(p));
	const hasChildren = (p) => content.some((q) => q !== p && q.path.startsWith(p.path));
	const leaves = content.filter((p) => !hasChildren(p));
	// The section with the most pages under it.
	const under = (p) => content.filter((q) => q !== p && q.path.startsWith(p.path)).length;
	const sections = content.filter(hasChildren).sort((a, b) => under(b) - under(a));
	const chart = findChartPage(pages).page;
	// A page with a table of contents shows the most of the layout.
	const plain = leaves.filter((p) => p !== chart);
	const page = plain.find((p) => /<nav\b[^>]*\bclass="toc"/.test(p.html)) ?? plain[0] ?? null;
	// A change view that marks words shows the most of its styles.
	const change = changes.find((p) => /<ins\b/.test(p.html)) ?? changes[0] ?? null;
	return {
		home: byPath.get('/') ?? null,
		section: sections[0] ?? null,
		page,
		chart,
		history: change ? byPath.get(parentPath(change.path)) : null,
		change,
		notFound: pages.find((p) => p.path === '/404.html') ?? null,
	};
}

function parentPath(p) {
	return p.replace(/[^/]+\/$/, '');
}
