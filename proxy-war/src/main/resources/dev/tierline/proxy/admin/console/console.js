// The admin console: the admin API's status every 2 s, and a button per operation. Plain JavaScript, no build.
// A session that ends (logged out, or the web tier restarted) brings the login form back.
'use strict';

const REFRESH_MS = 2000;
let csrfToken = null;

function api(path, options = {}) {
  const headers = Object.assign({}, options.headers);
  headers['X-CSRF-Token'] = options.method && options.method !== 'GET' ? csrfToken : 'Fetch';
  return fetch('api/' + path, Object.assign({}, options, { headers, credentials: 'same-origin' }))
    .then(response => {
      if (response.status === 401) {
        window.location.assign('login');
      }
      const token = response.headers.get('X-CSRF-Token');
      if (token && token !== 'Required') {
        csrfToken = token;
      }
      return response.json().then(body => ({ ok: response.ok, status: response.status, body }));
    });
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function ms(seconds) {
  return (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1);
}

function sparkline(values, kind) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'spark ' + kind);
  svg.setAttribute('viewBox', '0 0 120 24');
  const max = Math.max(...values, 1e-9);
  const step = values.length > 1 ? 120 / (values.length - 1) : 0;
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', values.map((v, i) => (i * step).toFixed(1) + ',' + (23 - 22 * v / max).toFixed(1)).join(' '));
  svg.append(line);
  const title = document.createElementNS(svgNs, 'title');
  title.textContent = kind === 'p99' ? 'p99 over the last 5 minutes, at most ' + ms(max) + ' ms'
    : 'requests/s over the last 5 minutes, at most ' + max.toFixed(1);
  svg.append(title);
  return svg;
}

function report(action, result) {
  document.getElementById('message').textContent = result.ok ? action + ': done' : action + ': ' + result.body.detail
    + (result.body.errors ? ' ' + result.body.errors.join('; ') : '');
  refresh();
}

function operate(cluster, backend, operation) {
  const target = 'clusters/' + encodeURIComponent(cluster) + '/backends/' + encodeURIComponent(backend) + '/';
  let request;
  if (operation === 'remove') {
    if (!window.confirm('Remove ' + backend + ' from cluster ' + cluster + ' and from the configuration file?')) {
      return;
    }
    request = api(target.slice(0, -1), { method: 'DELETE' });
  } else if (operation === 'weight') {
    const weight = window.prompt('Weight of ' + backend + ' (1 to 1000)');
    if (weight === null) {
      return;
    }
    request = api(target + 'weight', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ weight: Number(weight) }) });
  } else {
    request = api(target + operation, { method: 'POST' });
  }
  request.then(result => report(operation + ' ' + backend, result));
}

function addForm(cluster) {
  const id = el('input', { name: 'id', placeholder: 'id (optional)', size: 12 });
  const url = el('input', { name: 'url', placeholder: 'http://127.0.0.1:5004', required: '', size: 24 });
  const weight = el('input', { name: 'weight', type: 'number', min: 1, max: 1000, value: 1, size: 4 });
  const form = el('form', { class: 'add', 'data-cluster': cluster.id }, 'Add a backend: ', id, ' ', url, ' weight ',
    weight, ' ', el('button', { type: 'submit' }, 'add'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const backend = { url: url.value, weight: Number(weight.value) };
    if (id.value) {
      backend.id = id.value;
    }
    api('clusters/' + encodeURIComponent(cluster.id) + '/backends', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(backend) })
      .then(result => report('add ' + (backend.id || backend.url), result));
  });
  return form;
}

function backendTable(cluster) {
  const rows = cluster.backends.map(backend => {
    const errors = Object.entries(backend.errors).map(([kind, count]) => kind + ' ' + count).join(', ') || '0';
    const buttons = el('td', { class: 'actions' });
    for (const operation of ['enable', 'drain', 'disable', 'probe', 'weight', 'remove']) {
      const button = el('button', { type: 'button', 'data-operation': operation }, operation);
      button.addEventListener('click', () => operate(cluster.id, backend.id, operation));
      buttons.append(button);
    }
    return el('tr', { 'data-backend': backend.id },
      el('td', {}, backend.id, el('br'), el('small', {}, backend.url)),
      el('td', { 'data-field': 'state' }, el('span', { class: 'state ' + backend.state }, backend.state)),
      el('td', { class: 'number', 'data-field': 'inFlight' }, backend.inFlight),
      el('td', { class: 'number' }, backend.configuredWeight + ' / ' + backend.effectiveWeight.toFixed(1)),
      el('td', { class: 'number' }, backend.requests),
      el('td', {}, errors),
      el('td', { class: 'number' }, ms(backend.latency.p50) + ' / ' + ms(backend.latency.p95) + ' / ' + ms(backend.latency.p99)),
      el('td', {}, sparkline(backend.history.map(p => p.requestsPerSecond), 'rps'), ' ',
        sparkline(backend.history.map(p => p.p99), 'p99')),
      buttons);
  });
  return el('table', {},
    el('thead', {}, el('tr', {}, ...['backend', 'state', 'in flight', 'weight (set / now)', 'requests', 'errors',
      'p50 / p95 / p99 ms, last minute', 'requests/s and p99, 5 min', ''].map(name => el('th', {}, name)))),
    el('tbody', {}, ...rows));
}

// Each cluster's part of the page is made once, so that a refresh leaves its add form as the user left it.
function clusterSection(cluster) {
  let section = document.querySelector('#clusters > div[data-cluster="' + CSS.escape(cluster.id) + '"]');
  if (!section) {
    section = el('div', { 'data-cluster': cluster.id }, el('h2'), el('div', { class: 'backends' }), addForm(cluster));
  }
  section.querySelector('h2').textContent = 'Cluster ' + cluster.id + ' (' + cluster.policy + ', ' + cluster.retries
    + ' retries)';
  section.querySelector('div.backends').replaceChildren(backendTable(cluster));
  return section;
}

function render(status) {
  document.getElementById('clusters').replaceChildren(...status.clusters.map(clusterSection));
  document.querySelector('#routes tbody').replaceChildren(...status.routes.map(route =>
    el('tr', {}, el('td', {}, route.id), el('td', {}, route.host || '*'), el('td', {}, route.path), el('td', {}, route.cluster))));
  document.getElementById('updated').textContent = 'updated ' + new Date(status.time * 1000).toLocaleTimeString();
}

function refresh() {
  api('status').then(result => {
    if (result.ok) {
      render(result.body);
    }
  });
  api('audit').then(result => {
    if (result.ok) {
      document.getElementById('audit').replaceChildren(...result.body.map(entry =>
        el('li', {}, entry.time + ' ' + entry.user + ' from ' + entry.address + ': ' + entry.action + ' '
          + entry.target + ' (' + entry.before + ' \u2192 ' + entry.after + ')')));
    }
  });
}

document.getElementById('reload').addEventListener('click', () =>
  api('reload', { method: 'POST' }).then(result => report('reload', result)));
document.getElementById('logout').addEventListener('click', () =>
  fetch('logout', { method: 'POST', credentials: 'same-origin' }).then(() => window.location.assign('login')));

refresh();
setInterval(refresh, REFRESH_MS);
