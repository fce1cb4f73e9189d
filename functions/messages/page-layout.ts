/** The HTML document around every activation page: language, title, the hashed stylesheet. */
import { html, SafeHtml } from './html.ts';
import type { Locale } from './locale.ts';
import { pageCss } from './page-style.ts';

export interface PageDocument {
  readonly locale: Locale;
  readonly title: string;
  readonly siteName: string;
  readonly main: SafeHtml;
}

// The stylesheet goes in unescaped and byte for byte: the CSP hash is computed over exactly
// this text, and it is a constant of ours, not user input.
const STYLE_ELEMENT = html`<style>${new SafeHtml(pageCss)}</style>`;

export function layOutPage(page: PageDocument): string {
  return html`<!DOCTYPE html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${page.title} · ${page.siteName}</title>
${STYLE_ELEMENT}
</head>
<body>
<main>
${page.main}
</main>
</body>
</html>
`.toString();
}
