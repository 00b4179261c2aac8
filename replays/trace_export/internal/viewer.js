// The trace viewer: draws the data html.cc embeds (#trace-data) as SVG lanes.
// Self-contained: no network, no library. Sets DOM attributes that tests read
// (data-lanes, data-arrows, ... on #chart; data-rendered and data-errors on
// <body>).
(function () {
  'use strict';
  const body = document.body;
  let errors = 0;
  const countError = () => { errors += 1; body.dataset.errors = String(errors); };
  window.addEventListener('error', countError);
  window.addEventListener('unhandledrejection', countError);
  const consoleError = console.error.bind(console);
  console.error = (...args) => { countError(); consoleError(...args); };
  body.dataset.errors = '0';

  const SVG = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('trace-data').textContent);
  const FAULT = 1, CRASH = 2, FAILURE = 4, CHAIN = 8, DROPPED = 16;
  const LANE_HEIGHT = 22, NODE_LANE_HEIGHT = 18, AXIS_HEIGHT = 30, LABEL_WIDTH = 220;
  const events = data.events.map((e) => ({
    index: e[0], lane: e[1], display: e[2], time: e[3], text: e[4], flags: e[5],
  }));
  const firstIndex = events.length ? events[0].index : 0;
  const eventAt = (index) => events[index - firstIndex];
  const lanes = data.lanes.map((l, i) => ({ id: i, name: l[0], group: l[1], task: l[2] }));
  const groupName = (group) => data.groups[String(group)] || (group === 0 ? 'world' : 'node ' + group);
  const start = events.length ? events[0].display : 0;
  const end = events.length ? events[events.length - 1].display + 1 : 1;
  const state = { zoom: 1, offset: 0, filter: [], arrows: { message: true, wake: true, other: true } };

  function el(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }
  function title(node, text) { el('title', {}, node).textContent = text; }

  function visibleLanes() {
    if (state.filter.length === 0) return lanes;
    const matches = (text) => state.filter.some((term) => text.toLowerCase().includes(term));
    return lanes.filter((lane) => matches(lane.name) || matches(groupName(lane.group)));
  }

  function plotWidth() {
    const scroller = document.getElementById('scroller');
    return Math.max(600, scroller.clientWidth - 4) * state.zoom;
  }
  const PAD = 24;  // room at both ends for markers and arrowheads
  function x(display, width) { return PAD + ((display - start) / (end - start)) * (width - 2 * PAD); }

  function laneRows(shown) {
    const rows = new Map();
    let y = AXIS_HEIGHT;
    for (const lane of shown) {
      const height = lane.task === 0 ? NODE_LANE_HEIGHT : LANE_HEIGHT;
      rows.set(lane.id, { y, height, mid: y + height / 2 });
      y += height;
    }
    return { rows, height: y + 8 };
  }

  // The event nearest a display position (events are sorted by display time).
  function nearest(display) {
    let low = 0, high = events.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (events[mid].display < display) low = mid + 1; else high = mid;
    }
    return events[low];
  }

  function drawAxis(svg, width, height) {
    const axis = el('g', { class: 'axis' }, svg);
    const ticks = Math.max(2, Math.floor(width / 140));
    let previous = '';
    for (let i = 0; i <= ticks; i += 1) {
      const display = start + ((end - start) * i) / ticks;
      const px = x(display, width);
      el('line', { x1: px, x2: px, y1: AXIS_HEIGHT - 6, y2: height, class: 'tick' }, axis);
      // The virtual time of the nearest event: the axis is not linear in time.
      const label = events.length ? nearest(display).time : '';
      if (label !== previous) el('text', { x: px + 2, y: 12, class: 'tick-label' }, axis).textContent = label;
      previous = label;
    }
  }

  function drawLanes(svg, labels, shown, rows, width) {
    for (const lane of shown) {
      const row = rows.get(lane.id);
      const kind = lane.task === 0 ? 'lane node-lane' : 'lane task-lane';
      el('rect', { x: 0, y: row.y, width, height: row.height, class: kind, 'data-lane': lane.name }, svg);
      const label = el('text', { x: lane.task === 0 ? 6 : 18, y: row.mid + 4, class: 'lane-label ' + kind }, labels);
      label.textContent = lane.task === 0 ? groupName(lane.group) : lane.name;
    }
  }

  function drawSteps(svg, rows, width) {
    let failing = null;
    for (let s = 0; s < data.steps.length; s += 1) {
      const [lane, first, last, begin, stop, chain] = data.steps[s];
      const row = rows.get(lane);
      if (!row) continue;
      const px = x(begin, width);
      const w = Math.max(4, x(stop, width) - px);
      let kind = 'step';
      if (chain) kind += ' chain';
      if (s === data.failing.step) kind += ' failing';
      const rect = el('rect', { x: px, y: row.y + 3, width: w, height: row.height - 6, class: kind,
        'data-first': first, 'data-last': last }, svg);
      const lines = [];
      for (let i = first; i <= last && lines.length < 30; i += 1) {
        if (eventAt(i).lane === lane) lines.push('#' + i + ' ' + eventAt(i).text);
      }
      title(rect, lines.join('\n'));
      if (s === data.failing.step) failing = rect;
    }
    return failing;
  }

  function drawMarkers(svg, rows, width, height) {
    const counts = { faults: 0, crashes: 0 };
    const labelled = new Map();  // lane -> where its last label ends
    for (const event of events) {
      const row = rows.get(event.lane);
      if (!row || !(event.flags & (FAULT | FAILURE))) continue;
      const px = x(event.display, width);
      if (event.flags & FAILURE) {
        const line = el('line', { x1: px, x2: px, y1: AXIS_HEIGHT, y2: height, class: 'failure-line',
          'data-event': event.index }, svg);
        title(line, event.text);
        continue;
      }
      const crash = (event.flags & CRASH) !== 0;
      const size = crash ? 7 : 5;
      const kind = 'fault' + (crash ? ' crash' : '') + (event.flags & CHAIN ? ' chain' : '');
      const mark = el('path', { d: `M${px} ${row.mid - size}L${px + size} ${row.mid}L${px} ${row.mid + size}L${px - size} ${row.mid}Z`,
        class: kind, 'data-event': event.index }, svg);
      title(mark, '#' + event.index + ' ' + event.text);
      // Crashes (to the left) and lost messages (to the right) get words
      // beside them where there is room.
      if (crash || (event.flags & DROPPED)) {
        // A message is named by its number: "#31 Replicate dropped (backup is down)".
        const named = crash ? event.text : (/ (#\d+ .*)$/.exec(event.text) || [event.text, event.text])[1];
        const words = named.length > 40 ? named.slice(0, 39) + '\u2026' : named;
        const key = event.lane + (crash ? ':left' : ':right');
        const from = crash ? px - size - 2 - 5.5 * words.length : px + size + 2;
        if ((labelled.get(key) || -Infinity) < from) {
          el('text', { x: crash ? px - size - 2 : from, y: row.mid - 3, class: 'fault-label',
            'text-anchor': crash ? 'end' : 'start' }, svg).textContent = words;
          labelled.set(key, from + 5.5 * words.length + 4);
        }
      }
      counts.faults += 1;
      if (crash) counts.crashes += 1;
    }
    return counts;
  }

  function arrowClass(kind) {
    if (kind === 'message') return 'message';
    if (kind === 'wake' || kind === 'join') return 'wake';
    return 'other';
  }

  function drawArrows(svg, rows, width) {
    const counts = { arrows: 0, messages: 0, dropped: 0 };
    for (const [from, to, kind] of data.arrows) {
      const source = eventAt(from), target = eventAt(to);
      const a = rows.get(source.lane), b = rows.get(target.lane);
      const group = arrowClass(kind);
      if (!a || !b || !state.arrows[group]) continue;
      const x1 = x(source.display, width), x2 = x(target.display, width);
      const bend = Math.min(40, Math.abs(x2 - x1) / 2 + 8);
      // On one lane (a crash and the drop it causes): an arc above the lane.
      const d = a === b
        ? `M${x1} ${a.mid}C${x1 + bend} ${a.y - 10} ${x2 - bend} ${a.y - 10} ${x2} ${a.mid}`
        : `M${x1} ${a.mid}C${x1 + bend} ${a.mid} ${x2 - bend} ${b.mid} ${x2} ${b.mid}`;
      let kinds = 'arrow ' + kind.replace(/ /g, '-');
      const dropped = (target.flags & DROPPED) !== 0 && kind === 'message';
      if (dropped) kinds += ' dropped';
      if ((source.flags & CHAIN) && (target.flags & CHAIN)) kinds += ' chain';
      const path = el('path', { d, class: kinds, 'marker-end': 'url(#head)', 'data-from': from, 'data-to': to }, svg);
      title(path, kind + ': #' + from + ' ' + source.text + '\n  -> #' + to + ' ' + target.text);
      counts.arrows += 1;
      if (kind === 'message') counts.messages += 1;
      if (dropped) counts.dropped += 1;
    }
    return counts;
  }

  function render() {
    const shown = visibleLanes();
    const { rows, height } = laneRows(shown);
    const width = plotWidth();
    const chart = document.getElementById('chart');
    const labels = document.getElementById('labels');
    chart.replaceChildren();
    labels.replaceChildren();
    chart.setAttribute('width', width);
    chart.setAttribute('height', height);
    labels.setAttribute('width', LABEL_WIDTH);
    labels.setAttribute('height', height);
    const defs = el('defs', {}, chart);
    const head = el('marker', { id: 'head', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7,
      markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0 0L8 4L0 8Z', class: 'arrow-head' }, head);
    drawLanes(chart, labels, shown, rows, width);
    drawAxis(chart, width, height);
    const failing = drawSteps(chart, rows, width);
    const markers = drawMarkers(chart, rows, width, height);
    const arrows = drawArrows(chart, rows, width);
    const d = chart.dataset;
    d.lanes = String(shown.length);
    d.arrows = String(arrows.arrows);
    d.messages = String(arrows.messages);
    d.dropped = String(arrows.dropped);
    d.faults = String(markers.faults);
    d.crashes = String(markers.crashes);
    d.chain = String(data.chain.length);
    d.failingEvent = data.failing.event === null ? '' : String(data.failing.event);
    d.failingStepLane = failing ? lanes[data.steps[data.failing.step][0]].name : '';
    d.failingStepShown = failing ? '1' : '0';
    body.dataset.zoom = String(state.zoom);
  }

  function focus(index, zoom) {
    const event = eventAt(index);
    if (!event) return;
    state.zoom = zoom;
    render();
    const scroller = document.getElementById('scroller');
    scroller.scrollLeft = Math.max(0, x(event.display, plotWidth()) - scroller.clientWidth / 2);
  }

  // Zooms so that events `from` to `to` fill most of the view.
  function focusRange(from, to) {
    const a = eventAt(Math.min(from, to)), b = eventAt(Math.max(from, to));
    if (!a || !b) return;
    const scroller = document.getElementById('scroller');
    const span = Math.max(b.display - a.display, 1);
    state.zoom = Math.min(4096, Math.max(1, (end - start) / (span * 1.3)));
    render();
    const width = plotWidth();
    scroller.scrollLeft = Math.max(0, x(a.display, width) - (x(b.display, width) - x(a.display, width)) * 0.15);
  }

  function story() {
    const list = document.getElementById('story');
    for (const index of data.chain) {
      const event = eventAt(index);
      const item = document.createElement('li');
      item.textContent = '#' + index + ' [' + lanes[event.lane].name + '] ' + event.text;
      if (event.flags & FAULT) item.className = 'fault';
      if (event.flags & FAILURE) item.className = 'failure';
      item.addEventListener('click', () => focus(index, Math.max(state.zoom, 16)));
      list.appendChild(item);
    }
  }

  function controls() {
    const zoomBy = (factor) => {
      const scroller = document.getElementById('scroller');
      const centre = (scroller.scrollLeft + scroller.clientWidth / 2) / plotWidth();
      state.zoom = Math.min(4096, Math.max(1, state.zoom * factor));
      render();
      scroller.scrollLeft = centre * plotWidth() - scroller.clientWidth / 2;
    };
    document.getElementById('zoom-in').addEventListener('click', () => zoomBy(2));
    document.getElementById('zoom-out').addEventListener('click', () => zoomBy(0.5));
    document.getElementById('zoom-fit').addEventListener('click', () => { state.zoom = 1; render(); });
    document.getElementById('zoom-failure').addEventListener('click', () => {
      if (data.failing.event !== null) focus(data.failing.event, 32);
    });
    document.getElementById('scroller').addEventListener('wheel', (event) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 1.25 : 0.8);
    }, { passive: false });
    const filter = document.getElementById('filter');
    filter.value = data.filter.nodes.concat(data.filter.tasks).join(', ');
    const applyFilter = () => {
      state.filter = filter.value.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t);
      render();
    };
    filter.addEventListener('input', applyFilter);
    for (const group of ['message', 'wake', 'other']) {
      const box = document.getElementById('show-' + group);
      box.addEventListener('change', () => { state.arrows[group] = box.checked; render(); });
    }
    applyFilter();
  }

  controls();
  story();
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has('focus')) {
    const [from, to] = hash.get('focus').split('-').map(Number);
    if (to === undefined) focus(from, Number(hash.get('zoom') || 32)); else focusRange(from, to);
  }
  window.laplaceViewer = { focus, focusRange, render };
  window.addEventListener('resize', render);
  body.dataset.rendered = '1';
})();
