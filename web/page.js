// Hosts the Parley client: checks the browser, shows loading progress, keeps the
// canvas sized for the device pixel ratio, and exposes a read-only state hook.
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var overlay = document.getElementById('overlay');
  var statusEl = document.getElementById('status');
  var progressEl = document.getElementById('progress');
  var problemEl = document.getElementById('problem');

  function showProblem(text) {
    statusEl.textContent = 'Parley cannot start';
    progressEl.parentNode.hidden = true;
    problemEl.hidden = false;
    problemEl.textContent = text;
    overlay.classList.remove('done');
  }

  function hasWebAssembly() {
    return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  }

  function hasWebGL2() {
    try {
      return !!document.createElement('canvas').getContext('webgl2');
    } catch (e) {
      return false;
    }
  }

  function fitCanvas() {
    var ratio = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(canvas.clientWidth * ratio));
    var h = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
  }

  // A change of devicePixelRatio (zoom, another screen) does not always fire 'resize'.
  function watchPixelRatio() {
    if (!window.matchMedia) return;
    var query = window.matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    var onChange = function () {
      if (query.removeEventListener) query.removeEventListener('change', onChange);
      fitCanvas();
      watchPixelRatio();
    };
    if (query.addEventListener) query.addEventListener('change', onChange);
  }

  window.parley = {
    // Read-only snapshot of the client: {connection, user, room, error, entries: [...]}.
    state: function () {
      var m = window.Module;
      if (!m || typeof m._parley_state_json !== 'function' || typeof m.UTF8ToString !== 'function') {
        return null;
      }
      return JSON.parse(m.UTF8ToString(m._parley_state_json()));
    }
  };

  window.parleyReady = function () {
    overlay.classList.add('done');
    canvas.focus();
  };

  if (!hasWebAssembly()) {
    showProblem('This browser does not support WebAssembly. Please use a current version of ' +
                'Chrome, Firefox, Safari or Edge.');
    return;
  }
  if (!hasWebGL2()) {
    showProblem('This browser or device cannot use WebGL 2, which Parley needs to draw. ' +
                'Enable hardware acceleration or try another browser.');
    return;
  }

  fitCanvas();
  window.addEventListener('resize', fitCanvas);
  if (window.ResizeObserver) new ResizeObserver(fitCanvas).observe(canvas);
  watchPixelRatio();
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });

  window.Module = {
    canvas: canvas,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.warn(text); },
    setStatus: function (text) {
      if (!text) return;
      var m = text.match(/([^(]+)\((\d+(\.\d+)?)\/(\d+)\)/);
      if (m) {
        var done = parseInt(m[2], 10);
        var total = parseInt(m[4], 10);
        progressEl.classList.remove('indeterminate');
        progressEl.style.width = (total > 0 ? Math.round(100 * done / total) : 0) + '%';
        statusEl.textContent = 'Loading… ' + Math.round(done / 1024) + ' / ' +
                               Math.round(total / 1024) + ' KiB';
      } else {
        statusEl.textContent = text.replace('...', '…');
      }
    },
    onAbort: function (what) {
      showProblem('The client stopped unexpectedly (' + what + '). Reload the page to try again.');
    }
  };

  var script = document.createElement('script');
  script.src = 'parley.js';
  script.async = true;
  script.onerror = function () {
    showProblem('Could not load parley.js from the server. Check the connection and reload.');
  };
  document.body.appendChild(script);
})();
