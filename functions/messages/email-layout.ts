/**
 * Lays out an e-mail described as blocks of plain text into its plain-text and HTML parts.
 * Blocks carry unescaped text; this is the one place that turns them into markup, so escaping
 * is decided here and nowhere else. The HTML uses inline styles only and loads nothing.
 */
import { singleLine } from './escape.ts';
import { html, type SafeHtml, textWithLineBreaks } from './html.ts';
import type { Locale } from './locale.ts';

export interface EmailFact {
  readonly label: string;
  readonly value: string;
}

export type EmailBlock =
  | { readonly type: 'paragraph'; readonly text: string }
  | { readonly type: 'facts'; readonly facts: readonly EmailFact[] }
  | { readonly type: 'note'; readonly heading: string; readonly text: string }
  | { readonly type: 'list'; readonly heading: string; readonly items: readonly string[] }
  | {
      readonly type: 'action';
      readonly label: string;
      readonly url: string;
      readonly fallback: string;
    };

export interface EmailContent {
  readonly locale: Locale;
  readonly subject: string;
  readonly heading: string;
  readonly blocks: readonly EmailBlock[];
  readonly footer: readonly string[];
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function layOutEmail(content: EmailContent): RenderedEmail {
  return {
    subject: singleLine(content.subject),
    text: plainText(content),
    html: htmlDocument(content).toString(),
  };
}

// Every line of a note is prefixed, so nothing a partner writes can pass for a line of ours
// (such as a link that looks like the activation link).
const NOTE_PREFIX = '> ';

function plainText(content: EmailContent): string {
  const sections = [content.heading, ...content.blocks.map(plainTextBlock)];
  return `${sections.join('\n\n')}\n\n-- \n${content.footer.join('\n')}\n`;
}

function plainTextBlock(block: EmailBlock): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'facts': {
      const width = Math.max(...block.facts.map((fact) => fact.label.length)) + 1;
      return block.facts
        .map((fact) => `${`${fact.label}:`.padEnd(width)} ${fact.value}`)
        .join('\n');
    }
    case 'note':
      return [
        `${block.heading}:`,
        ...block.text.split('\n').map((line) => `${NOTE_PREFIX}${line}`.trimEnd()),
      ].join('\n');
    case 'list':
      return [`${block.heading}:`, ...block.items.map((item) => `- ${item}`)].join('\n');
    case 'action':
      return `${block.label}:\n${block.url}`;
  }
}

const COLOR = {
  text: '#1b1f24',
  muted: '#4a5360',
  border: '#c5ccd5',
  panel: '#f3f5f8',
  accent: '#0b5cad',
  onAccent: '#ffffff',
} as const;

const FONT = 'Arial, Helvetica, sans-serif';

function htmlDocument(content: EmailContent): SafeHtml {
  return html`<!DOCTYPE html>
<html lang="${content.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${singleLine(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:${COLOR.panel};">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:${COLOR.text};font-family:${FONT};font-size:16px;line-height:1.5;">
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">${content.heading}</h1>
${content.blocks.map(htmlBlock)}<hr style="margin:24px 0 12px;border:0;border-top:1px solid ${COLOR.border};">
${content.footer.map((line) => html`<p style="margin:0 0 4px;font-size:13px;color:${COLOR.muted};">${line}</p>\n`)}</div>
</body>
</html>
`;
}

function htmlBlock(block: EmailBlock): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p style="margin:0 0 16px;">${block.text}</p>\n`;
    case 'facts':
      return html`<table style="margin:0 0 16px;border-collapse:collapse;">
${block.facts.map(
  (fact) =>
    html`<tr><th scope="row" style="padding:4px 16px 4px 0;text-align:left;vertical-align:top;font-weight:bold;">${fact.label}</th><td style="padding:4px 0;vertical-align:top;">${fact.value}</td></tr>\n`,
)}</table>\n`;
    case 'note':
      return html`<p style="margin:0 0 4px;font-weight:bold;">${block.heading}</p>
<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid ${COLOR.border};background:${COLOR.panel};">${textWithLineBreaks(block.text)}</blockquote>\n`;
    case 'list':
      return html`<p style="margin:0 0 4px;font-weight:bold;">${block.heading}</p>
<ul style="margin:0 0 16px;padding-left:24px;">${block.items.map((item) => html`<li>${item}</li>`)}</ul>\n`;
    case 'action':
      return html`<p style="margin:24px 0;"><a href="${block.url}" style="display:inline-block;padding:12px 20px;border-radius:4px;background:${COLOR.accent};color:${COLOR.onAccent};font-weight:bold;text-decoration:none;">${block.label}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:${COLOR.muted};">${block.fallback}<br><a href="${block.url}" style="color:${COLOR.accent};word-break:break-all;">${block.url}</a></p>\n`;
  }
}
