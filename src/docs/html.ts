/**
 * HTML building blocks for the documentation site: escaping, the page frame with its inline
 * stylesheet, tables and definition lists. Pages need no JavaScript and load nothing from the
 * network: every byte (CSS, SVG) is inline, so the site opens from a file or a plain server.
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Trusted markup (already escaped or generated here). Plain strings are always escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Content = Html | string | number | null | undefined | readonly Content[];

/** Renders content: strings are escaped, Html is kept, arrays are joined, null is empty. */
export function render(content: Content): string {
  if (content === null || content === undefined) return '';
  if (content instanceof Html) return content.value;
  if (Array.isArray(content)) return (content as readonly Content[]).map(render).join('');
  if (typeof content === 'number') return formatNumber(content);
  return escapeHtml(content as string);
}

/** Tagged template: interpolated values are escaped unless they are Html. */
export function html(strings: TemplateStringsArray, ...values: Content[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

export function raw(markup: string): Html {
  return new Html(markup);
}

/** 12345 → "12,345"; 0.1234 → "0.1234" (fixed, locale-independent). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const [int, frac] = String(n).split('.');
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** 0.4567 → "45.7%" */
export function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

export interface TableOptions {
  caption?: Content;
  /** 'r' right-aligns a column (numbers) */
  align?: readonly ('l' | 'r')[];
  className?: string;
}

export function table(headers: readonly Content[], rows: readonly (readonly Content[])[], opts: TableOptions = {}): Html {
  const cls = (i: number) => (opts.align?.[i] === 'r' ? ' class="num"' : '');
  const head = headers.map((h, i) => `<th scope="col"${cls(i)}>${render(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${render(c)}</td>`).join('')}</tr>`).join('\n');
  const caption = opts.caption === undefined ? '' : `<caption>${render(opts.caption)}</caption>`;
  return raw(`<table${opts.className ? ` class="${escapeHtml(opts.className)}"` : ''}>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`);
}

export function definitionList(items: readonly (readonly [Content, Content])[]): Html {
  return raw(`<dl>${items.map(([k, v]) => `<dt>${render(k)}</dt><dd>${render(v)}</dd>`).join('')}</dl>`);
}

export function link(href: string, text: Content): Html {
  return html`<a href="${href}">${text}</a>`;
}

/** A dataset or table name made safe as a file name and fragment id (names are already identifiers). */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--accent:#0b5cad;--ok:#1a7f37;--stale:#9a6700;--new:#6e7781}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.site{border-bottom:1px solid var(--line);padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header.site .brand{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
header.site nav a{margin-right:1rem}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
a{color:var(--accent)}
h1{font-size:1.6rem;margin:.8rem 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
p.lead{color:var(--muted);margin-top:0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
caption{text-align:left;font-weight:600;padding:.2rem 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{background:#f6f8fa;border:1px solid var(--line);padding:.7rem;overflow:auto;max-height:32rem;line-height:1.35}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
dt{font-weight:600}dd{margin:0}
figure{margin:1rem 0 1.5rem;max-width:100%}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-weight:600;margin-bottom:.3rem}
details{margin:.3rem 0}summary{cursor:pointer;color:var(--accent)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:1rem;padding:0 .55rem;margin:0 .25rem .25rem 0;font-size:.85rem;background:#f6f8fa}
.state{font-weight:600;white-space:nowrap}
td:first-child{white-space:nowrap}.state-up-to-date{color:var(--ok)}.state-stale{color:var(--stale)}.state-not-built{color:var(--new)}
.notice{border-left:4px solid var(--stale);background:#fff8c5;padding:.5rem .8rem;margin:1rem 0}
.toc{columns:2;margin:.3rem 0 1rem}.toc li{break-inside:avoid}
.dag{overflow-x:auto;border:1px solid var(--line);padding:.5rem;margin:.5rem 0 1rem}
.dag svg{max-width:none}
.legend span{margin-right:1rem}
footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding:1rem 1.5rem}
@media print{header.site nav,details summary{display:none}}
`.trim();

export interface PageFrame {
  title: string;
  /** path from this page to the site root ('' or '../') */
  root: string;
  body: Content;
  description?: string;
}

/** The whole document: no scripts, no external resources, a fixed byte output for fixed input. */
export function page(frame: PageFrame): string {
  const r = frame.root;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(frame.title)} · healthsim docs</title>
${frame.description ? `<meta name="description" content="${escapeHtml(frame.description)}">\n` : ''}<style>${CSS}</style>
</head>
<body>
<header class="site"><a class="brand" href="${r}index.html">healthsim docs</a>
<nav aria-label="Site"><a href="${r}index.html">Project and DAG</a><a href="${r}index.html#datasets">Datasets</a><a href="${r}dictionary.html">Data dictionary</a></nav></header>
<main id="main">
${render(frame.body)}
</main>
<footer>Generated by <code>healthsim docs</code> from the project database. Plot numbers are in the tables under each plot; every query shown can be run with <code>healthsim query &lt;dataset&gt; "&lt;SELECT …&gt;"</code>.</footer>
</body>
</html>
`;
}
