// Side-effect entry point: `<script type="module" src="http://127.0.0.1:7391/client/auto.js">` gives the page
// navigator.ml where the browser has none. Use index.js's install() for options.
import { install } from './index.js';

install();
