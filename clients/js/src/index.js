// @anneau/webnn-polyfill: the W3C WebNN API for any browser, computed by the local Anneau service.
//
//   import { install } from 'http://127.0.0.1:7391/client/index.js';   // served by `anneau serve`
//   const ml = install();                 // navigator.ml, only where the browser has none
//   const context = await ml.createContext();   // first use: asks the user to run `anneau pair approve CODE`
//
// install({force: true}) replaces a native navigator.ml; createML() gives a polyfill ML without installing it.

import { ML, MLContext, MLGraph, MLGraphBuilder, MLOperand, MLTensor, createML, createOfflineContext } from './polyfill.js';
import { DEFAULT_SERVICE } from './session.js';

export { ML, MLContext, MLGraph, MLGraphBuilder, MLOperand, MLTensor, createML, createOfflineContext };
export { showPairingNotice, PROTOCOL_VERSION, DEFAULT_SERVICE } from './session.js';

/** The service this module was loaded from (`anneau serve` serves it under /client/), else the default port. */
export function defaultService() {
  try {
    const here = new URL(import.meta.url);
    if ((here.protocol === 'http:' || here.protocol === 'https:') && here.pathname.startsWith('/client/')) return here.origin;
  } catch { /* not a URL module */ }
  return DEFAULT_SERVICE;
}

const CLASSES = { ML, MLContext, MLGraph, MLGraphBuilder, MLOperand, MLTensor };

/**
 * Installs the polyfill as `navigator.ml` (and the WebNN interfaces as globals) where the browser has no
 * WebNN, or everywhere with `force: true`. Returns the `ML` object that `navigator.ml` now is.
 * Options: `service` (default: where this module came from, else http://127.0.0.1:7391), `force`,
 * `token`, `tokenStorage`, `onPairingRequest` (see index.d.ts).
 */
export function install(options = {}) {
  const nav = globalThis.navigator;
  const native = nav && 'ml' in nav && nav.ml && !(nav.ml instanceof ML) ? nav.ml : null;
  if (native && !options.force) return native;
  if (nav && nav.ml instanceof ML && !options.force) return nav.ml;
  const ml = createML({ service: defaultService(), ...options });
  if (nav) Object.defineProperty(nav, 'ml', { value: ml, configurable: true, enumerable: true, writable: false });
  for (const [name, cls] of Object.entries(CLASSES)) {
    if (options.force || !(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value: cls, configurable: true, writable: true, enumerable: false });
    }
  }
  return ml;
}
