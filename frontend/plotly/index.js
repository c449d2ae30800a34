// The plotly.js la-variation serves in place of the full bundle: the core (which holds the
// scatter trace) and the only other trace types the figures draw: bar, box and choropleth
// (geo, custom GeoJSON). tests/unit/test_plotly_bundle.py checks that every trace type built
// under figures/ is registered here and that the version is the one plotly.py expects.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/choropleth')
]);

module.exports = Plotly;
