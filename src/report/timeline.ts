/**
 * The page's timeline script (assets/timeline.js, plain ES2017, inlined): one canvas with a time
 * axis, a row of faults, a strip per server (role, epoch, last zxid) and a lane per client
 * process (ops from invoke to completion). Canvas rather than SVG so 20,000+ ops draw in
 * milliseconds. Drag to zoom; tooltips are filled with textContent only. It reads the JSON in
 * #report-data.
 */
import { browserAsset } from './assets.ts';

export const TIMELINE_JS = browserAsset('timeline.js');
