/**
 * The one stylesheet of the activation pages. It is embedded in a `<style>` element and allowed
 * by its hash in the Content-Security-Policy, so the policy needs no 'unsafe-inline' and no
 * stylesheet has to be served from anywhere.
 */
import { createHash } from 'node:crypto';

export const pageCss = [
  ':root{color-scheme:light}',
  '*{box-sizing:border-box}',
  'body{margin:0;background:#f3f5f8;color:#1b1f24;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}',
  'main{max-width:38rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #c5ccd5;border-radius:6px}',
  'h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.3}',
  'h2{margin:1.5rem 0 .5rem;font-size:1.125rem}',
  'p{margin:0 0 1rem}',
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}',
  'dt{font-weight:700}',
  'dd{margin:0;overflow-wrap:anywhere}',
  'ul{margin:0 0 1rem;padding-left:1.5rem;overflow-wrap:anywhere}',
  'figure{margin:0 0 1rem}',
  'figcaption{margin:0 0 .25rem;font-weight:700}',
  'blockquote{margin:0;padding:.5rem .75rem;border-left:4px solid #6b7480;background:#f3f5f8;overflow-wrap:anywhere}',
  '.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}',
  'form{margin:0}',
  // The decline form takes the whole row: its reason field above its button.
  'form.decline{flex-basis:100%;display:flex;flex-direction:column;align-items:flex-start;gap:.375rem}',
  'form.decline p{margin:0}',
  'textarea{box-sizing:border-box;width:100%;min-height:5rem;padding:.5rem;border:1px solid #57606a;border-radius:4px;font:inherit}',
  'textarea:focus-visible{outline:3px solid #1b1f24;outline-offset:2px}',
  'button{min-height:44px;padding:.625rem 1.25rem;border:2px solid #0b5cad;border-radius:4px;font:inherit;font-weight:700;cursor:pointer}',
  '.primary{background:#0b5cad;color:#fff}',
  '.secondary{background:#fff;color:#0b5cad}',
  'button:focus-visible{outline:3px solid #1b1f24;outline-offset:2px}',
  '.muted{color:#4a5360;font-size:.9375rem}',
  'code{padding:0 .25rem;background:#f3f5f8;font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}',
  '.translation{margin-top:1.5rem;padding-top:1rem;border-top:1px solid #c5ccd5}',
  '@media (max-width:40rem){main{margin:0;border:0;border-radius:0}}',
].join('\n');

/** The CSP source expression for exactly `pageCss` (hash of its UTF-8 bytes, base64). */
export const pageCssSource = `'sha256-${createHash('sha256').update(pageCss, 'utf8').digest('base64')}'`;
