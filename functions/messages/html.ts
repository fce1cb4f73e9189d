/**
 * A tagged template for building HTML in which every interpolated value is escaped unless it
 * is itself markup built by this tag. Forgetting to escape therefore cannot happen by accident:
 * the only way to put raw markup into a template is to build it with `html` in the first place.
 */
import { escapeHtml } from './escape.ts';

export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

export type HtmlValue =
  | SafeHtml
  | string
  | number
  | null
  | undefined
  | false
  | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** Escapes the text and turns its line breaks into `<br>`, for notes shown as written. */
export function textWithLineBreaks(text: string): SafeHtml {
  return new SafeHtml(text.split('\n').map(escapeHtml).join('<br>'));
}

/** One part per line, leaving out the parts that render empty (conditional sections). */
export function lines(parts: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(
    parts
      .map(render)
      .filter((part) => part !== '')
      .join('\n'),
  );
}
