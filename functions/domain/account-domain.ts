import { domainToASCII } from 'node:url';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type DomainCheck = { ok: true; domain: string } | { ok: false; message: string };

/**
 * Normalizes a DNS domain: trimmed, lower case, no trailing dot, IDNs in their punycode
 * form. Rejects what is not a plain host name (schemes, paths, ports, spaces, empty labels,
 * labels with a leading or trailing hyphen, numeric top-level labels, IP addresses).
 */
export const normalizeAccountDomain = (input: string): DomainCheck => {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, message: 'Required, e.g. acme.example.' };
  if (trimmed.includes('://')) return { ok: false, message: 'Give a domain, not a URL.' };
  if (/[\s/:@?#\\]/.test(trimmed)) {
    return { ok: false, message: 'A domain has no spaces, slashes, ports or @.' };
  }
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  if (withoutDot.split('.').some((label) => label === '')) {
    return { ok: false, message: 'A domain has no empty labels.' };
  }
  const ascii = domainToASCII(withoutDot.toLowerCase());
  if (!ascii) return { ok: false, message: 'Not a valid domain name.' };
  if (ascii.length > 253) return { ok: false, message: 'A domain is at most 253 characters.' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, message: 'A domain has at least two labels.' };
  for (const label of labels) {
    if (!LABEL.test(label)) {
      return {
        ok: false,
        message:
          'Each label is 1-63 letters, digits or hyphens and does not start or end with a hyphen.',
      };
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, message: 'The top-level label cannot be numeric.' };
  }
  return { ok: true, domain: ascii };
};
