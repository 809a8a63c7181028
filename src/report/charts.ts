/**
 * The page's chart script (assets/charts.js, plain ES2017, inlined after chart.js): latency and
 * throughput over sim time from the buckets in #report-data, with fault intervals shaded by a
 * small plugin.
 */
import { browserAsset } from './assets.ts';

export const CHARTS_JS = browserAsset('charts.js');
