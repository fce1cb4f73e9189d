/** @import { Papa } from './batch-csv.js' */
import { ServiceUnreachable } from './api-client.js';

/**
 * Papa Parse, served by serve-console from the papaparse package as an ES module at a URL
 * beside this one. It is not a file of this folder, so it is imported by URL, and only when a
 * page needs it (the CSV upload opens, an export starts): the rest of the console never loads
 * it.
 */
const papaUrl = new URL('./papaparse.js', import.meta.url).href;
/** @type {Promise<Papa> | null} */
let papaLoading = null;

/** @returns {Promise<Papa>} */
export const loadPapa = () => {
  papaLoading ??= import(papaUrl).then(
    (module) => /** @type {Papa} */ (module.default),
    (error) => {
      // Not cached: the next try loads it again.
      papaLoading = null;
      throw new ServiceUnreachable(error);
    },
  );
  return papaLoading;
};
