// Loads a trace page (html.h) in headless Chromium over the DevTools protocol
// (--remote-debugging-pipe: no port, no network) and checks what it draws:
// no console errors or exceptions, the lane and arrow counts the page's own
// data implies, the failing step highlighted, filtering and zooming work, and
// (with --expect) exact counts and "a crash with an arrow to a dropped
// message". Saves screenshots: PREFIX.png (the whole page) and
// PREFIX-focus.png (zoomed on the lost message, when there is one).
//
//   node browser_check.js --chromium=/usr/bin/chromium --page=kv.html \
//     --screenshots=/out/kv [--expect='{"lanes":5,"arrows":7}'] [--lost-message]
//
// Exit status: 0 passed, 1 a check failed, 77 Chromium could not start
// (the reason is printed; the test reports it as a failure).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CANNOT_START = 77;

function parseArgs() {
  const args = {};
  for (const arg of process.argv.slice(2)) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error('unknown argument ' + arg);
    args[match[1]] = match[2] === undefined ? true : match[2];
  }
  for (const needed of ['chromium', 'page', 'screenshots']) {
    if (!args[needed]) throw new Error('missing --' + needed);
  }
  return args;
}

// The DevTools protocol over Chromium's pipe: JSON messages ending in NUL.
class DevTools {
  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    let buffer = '';
    child.stdio[4].on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
  }
  dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.error) waiter.reject(new Error(waiter.method + ': ' + message.error.message));
      else waiter.resolve(message.result);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
  send(method, params = {}, sessionId = undefined, timeoutMs = 30000) {
    const id = this.nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(method + ': no answer in ' + timeoutMs + ' ms'));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (value) => { clearTimeout(timer); resolve(value); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      this.child.stdio[3].write(JSON.stringify(message) + '\0');
    });
  }
  waitFor(predicate, what, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), timeoutMs);
      const listener = (message) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(message);
      };
      this.listeners.push(listener);
    });
  }
}

function launch(chromium, profile) {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--remote-debugging-pipe', '--user-data-dir=' + profile,
    '--window-size=1600,1000', 'about:blank'];
  return spawn(chromium, flags, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: Object.assign({}, process.env, { HOME: profile }),
  });
}

// Starts Chromium and returns its DevTools connection, or exits with CANNOT_START.
async function start(chromium, profile) {
  const child = launch(chromium, profile);
  // A Chromium that never started closes its pipes: 'error' or 'exit' below says why.
  for (const stream of child.stdio) if (stream) stream.on('error', () => {});
  let stderr = '';
  child.stdio[2].on('data', (chunk) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const failedToStart = new Promise((resolve) => {
    child.on('error', (error) => resolve('cannot run ' + chromium + ': ' + error.message));
    child.on('exit', (code, signal) => resolve(chromium + ' exited at start (' + (signal || code) + ')'));
  });
  const devtools = new DevTools(child);
  // A cold Chromium on a loaded 2-core machine has taken over 30 s to answer: wait up to 90 s.
  const version = devtools.send('Browser.getVersion', {}, undefined, 90000).then((v) => v, (e) => e.message);
  const outcome = await Promise.race([version, failedToStart]);
  if (typeof outcome === 'string') {
    console.log('Chromium cannot start: ' + outcome + '\n' + stderr.trim().split('\n').slice(-8).join('\n'));
    process.exit(CANNOT_START);
  }
  console.log('started ' + outcome.product);
  return { child, devtools };
}

class Page {
  constructor(devtools, sessionId) {
    this.devtools = devtools;
    this.sessionId = sessionId;
    this.problems = [];
    devtools.listeners.push((message) => {
      if (message.sessionId !== sessionId) return;
      const p = message.params || {};
      if (message.method === 'Runtime.exceptionThrown') {
        this.problems.push('exception: ' + JSON.stringify(p.exceptionDetails).slice(0, 400));
      } else if (message.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
        this.problems.push('console.' + p.type + ': ' + JSON.stringify(p.args).slice(0, 400));
      } else if (message.method === 'Log.entryAdded' && p.entry && p.entry.level === 'error') {
        this.problems.push('log: ' + p.entry.text);
      }
    });
  }
  send(method, params) { return this.devtools.send(method, params, this.sessionId); }
  async evaluate(expression) {
    const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result.exceptionDetails) throw new Error('evaluating ' + expression.slice(0, 80) + ': ' + result.exceptionDetails.text);
    return result.result.value;
  }
  async open(url) {
    const loaded = this.devtools.waitFor((m) => m.sessionId === this.sessionId && m.method === 'Page.loadEventFired', 'the page to load');
    await this.send('Page.navigate', { url });
    await loaded;
    for (let i = 0; i < 100; i += 1) {
      if (await this.evaluate("document.body && document.body.dataset.rendered === '1'")) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the page never set data-rendered="1"');
  }
  async screenshot(file) {
    const metrics = await this.send('Page.getLayoutMetrics', {});
    const height = Math.ceil((metrics.cssContentSize || metrics.contentSize).height);
    await this.send('Emulation.setDeviceMetricsOverride', { width: 1600, height: Math.min(height, 4000), deviceScaleFactor: 1, mobile: false });
    const shot = await this.send('Page.captureScreenshot', { format: 'png' });
    fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
    await this.send('Emulation.clearDeviceMetricsOverride', {});
    console.log('screenshot ' + file);
  }
}

// What the page drew, read from the DOM and its own embedded data.
const DRAWN = `(() => {
  const data = JSON.parse(document.getElementById('trace-data').textContent);
  const chart = document.getElementById('chart');
  const all = (selector) => Array.from(chart.querySelectorAll(selector));
  const failing = all('rect.step.failing');
  return {
    dataset: Object.assign({}, chart.dataset), body: Object.assign({}, document.body.dataset),
    data: { lanes: data.lanes.length, arrows: data.arrows.length, chain: data.chain.length,
      failingEvent: data.failing.event,
      failingFirst: data.failing.step === null ? null : data.steps[data.failing.step][1],
      messages: data.arrows.filter((a) => a[2] === 'message').length },
    laneRects: all('rect.lane').length, laneLabels: document.querySelectorAll('#labels text').length,
    arrows: all('path.arrow').length, messages: all('path.arrow.message').length,
    dropped: all('path.arrow.message.dropped').map((p) => [Number(p.dataset.from), Number(p.dataset.to)]),
    faultArrows: all('path.arrow.fault').map((p) => [Number(p.dataset.from), Number(p.dataset.to)]),
    crashes: all('path.fault.crash').map((p) => Number(p.dataset.event)),
    failing: failing.map((r) => Number(r.dataset.first)),
    failureLine: all('line.failure-line').map((l) => Number(l.dataset.event)),
    story: document.querySelectorAll('#story li').length,
    failureText: document.getElementById('failure').textContent,
    width: Number(chart.getAttribute('width')),
  };
})()`;

function check(problems, condition, message) {
  if (!condition) problems.push(message);
}

async function checkPage(page, args) {
  const problems = [];
  const drawn = await page.evaluate(DRAWN);
  console.log('drawn: ' + JSON.stringify(Object.assign({}, drawn, { dropped: drawn.dropped.length, faultArrows: drawn.faultArrows.length })));
  check(problems, drawn.body.errors === '0', 'the page counted script errors: ' + drawn.body.errors);
  check(problems, drawn.laneRects === drawn.data.lanes && drawn.laneLabels === drawn.data.lanes &&
    drawn.dataset.lanes === String(drawn.data.lanes), 'lanes drawn ' + drawn.laneRects + ', labelled ' +
    drawn.laneLabels + ', data-lanes ' + drawn.dataset.lanes + ', in the data ' + drawn.data.lanes);
  check(problems, drawn.arrows === drawn.data.arrows && drawn.dataset.arrows === String(drawn.data.arrows),
    'arrows drawn ' + drawn.arrows + ', data-arrows ' + drawn.dataset.arrows + ', in the data ' + drawn.data.arrows);
  check(problems, drawn.messages === drawn.data.messages, 'message arrows ' + drawn.messages + ' of ' + drawn.data.messages);
  check(problems, drawn.story === drawn.data.chain, 'story lines ' + drawn.story + ' of ' + drawn.data.chain);
  if (drawn.data.failingEvent !== null) {
    check(problems, drawn.failing.length === 1 && drawn.failing[0] === drawn.data.failingFirst,
      'highlighted failing steps ' + JSON.stringify(drawn.failing) + ', expected one at #' + drawn.data.failingFirst);
    check(problems, drawn.failureLine.includes(drawn.data.failingEvent), 'no failure line at #' + drawn.data.failingEvent);
    check(problems, drawn.dataset.failingEvent === String(drawn.data.failingEvent), 'data-failing-event ' + drawn.dataset.failingEvent);
    check(problems, drawn.failureText.length > 0 && drawn.failureText !== 'the run passed', 'no failure text at the top');
  }
  if (args.expect) {
    const expect = JSON.parse(args.expect);
    const actual = { lanes: drawn.laneRects, arrows: drawn.arrows, messages: drawn.messages,
      dropped: drawn.dropped.length, crashes: drawn.crashes.length };
    for (const [key, value] of Object.entries(expect)) {
      check(problems, actual[key] === value, key + ': drew ' + actual[key] + ', expected ' + value);
    }
  }
  let lost = null;
  if (args['lost-message']) {
    // The crash, the lost write and the arrows between them: a message arrow
    // to a dropped message, and a fault arrow from a crash to the same drop.
    for (const [from, to] of drawn.dropped) {
      const crash = drawn.faultArrows.find(([f, t]) => t === to && drawn.crashes.includes(f));
      if (crash) { lost = { sent: from, dropped: to, crash: crash[0] }; break; }
    }
    check(problems, lost !== null, 'no crash with a fault arrow to a dropped message that has a message arrow');
    if (lost) console.log('lost message: sent #' + lost.sent + ', crash #' + lost.crash + ', dropped #' + lost.dropped);
  }
  return { problems, drawn, lost };
}

async function checkControls(page, drawn) {
  const problems = [];
  const filtered = await page.evaluate(`(() => {
    const names = JSON.parse(document.getElementById('trace-data').textContent).lanes;
    const box = document.getElementById('filter');
    const term = names[names.length - 1][0].split('/')[0];
    box.value = term;
    box.dispatchEvent(new Event('input'));
    const shown = Number(document.getElementById('chart').dataset.lanes);
    box.value = '';
    box.dispatchEvent(new Event('input'));
    return { term, shown, after: Number(document.getElementById('chart').dataset.lanes) };
  })()`);
  check(problems, filtered.shown > 0 && filtered.shown < drawn.data.lanes && filtered.after === drawn.data.lanes,
    'filtering by "' + filtered.term + '" showed ' + filtered.shown + ' of ' + drawn.data.lanes + ' lanes, then ' + filtered.after);
  const zoomed = await page.evaluate(`(() => {
    document.getElementById('zoom-in').click();
    const width = Number(document.getElementById('chart').getAttribute('width'));
    const zoom = document.body.dataset.zoom;
    document.getElementById('zoom-fit').click();
    return { width, zoom };
  })()`);
  // The scroller's width changes as scroll bars come and go: about twice is right.
  check(problems, zoomed.zoom === '2' && zoomed.width > 1.8 * drawn.width && zoomed.width < 2.2 * drawn.width,
    'zoom in gave zoom ' + zoomed.zoom + ' and width ' + zoomed.width + ' (fit: ' + drawn.width + ')');
  return problems;
}

async function main() {
  const args = parseArgs();
  const profile = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR || os.tmpdir(), 'chromium-'));
  const { child, devtools } = await start(args.chromium, profile);
  let problems = [];
  try {
    const { targetId } = await devtools.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await devtools.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(devtools, sessionId);
    for (const domain of ['Page', 'Runtime', 'Log']) await page.send(domain + '.enable', {});
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });
    await page.open('file://' + path.resolve(args.page));
    const result = await checkPage(page, args);
    problems = problems.concat(result.problems);
    problems = problems.concat(await checkControls(page, result.drawn));
    await page.screenshot(args.screenshots + '.png');
    if (result.lost) {
      const from = Math.min(result.lost.sent, result.lost.crash) - 4;
      const to = result.lost.dropped + 12;
      await page.evaluate(`laplaceViewer.focusRange(${from}, ${to})`);
      await page.screenshot(args.screenshots + '-focus.png');
    }
    problems = problems.concat(page.problems);
  } finally {
    child.kill('SIGKILL');
  }
  if (problems.length) {
    console.log('FAILED ' + args.page + ':\n  ' + problems.join('\n  '));
    process.exit(1);
  }
  console.log('ok ' + args.page);
}

main().catch((error) => {
  console.log('FAILED: ' + (error && error.stack || error));
  process.exit(1);
});
