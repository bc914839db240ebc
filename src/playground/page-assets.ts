/**
 * The page itself: static HTML, CSS and a small script, served by the playground. They are
 * strings here rather than files because `dist/` holds only what tsc emits. The script only
 * places the server's escaped HTML and sends what a person did; it renders no text of its own
 * from data (status lines go through textContent).
 */
import { SAMPLE_ACCOUNT_ID } from '../adapters/memory/sample-account';
import { escapeHtml } from './mrkdwn-html';
import { PLAYGROUND_PEOPLE } from './people';

export const README_SECTION = 'Running the Slack bot';

/** One `## title` section of the README (to the next `## ` heading), or null when it has none. */
export const readmeSection = (readme: string, title: string): string | null => {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${title}`);
  if (start === -1) return null;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
};

/** The README's section on connecting a real workspace, as a page of escaped text. */
export const readmeHtml = (section: string): string => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(README_SECTION)} — mfa-guard</title><link rel="stylesheet" href="/app.css"></head>
<body><main class="readme"><p>From the README of mfa-guard:</p><pre>${escapeHtml(section)}</pre></main></body>
</html>
`;

export const pageHtml = (token: string, hasReadme: boolean): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="playground-token" content="${escapeHtml(token)}">
<title>mfa-guard playground</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="banner">
  <strong>mfa-guard playground</strong>
  <span>This is a playground, not Slack: the real bot (its Bolt app, handlers, services and an in-memory SQLite
  database) runs against a local stand-in for Slack and three in-memory sample AWS accounts. Nothing here reaches
  Slack or AWS. To connect a real workspace, see the README, section ${
    hasReadme
      ? `<a href="/readme" target="_blank" rel="noopener">${escapeHtml(README_SECTION)}</a>`
      : `<em>${escapeHtml(README_SECTION)}</em>`
  }.</span>
</header>
<main>
  <nav class="sidebar">
    <label for="person">You are</label>
    <select id="person">${PLAYGROUND_PEOPLE.map(
      (p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} — ${escapeHtml(p.role)}</option>`,
    ).join('')}</select>
    <div class="tabs">
      <button type="button" data-tab="dm" class="tab active">DM with mfa-guard</button>
      <button type="button" data-tab="channel" class="tab"># security-alerts</button>
      <button type="button" data-tab="home" class="tab" id="open-home">App Home</button>
    </div>
    <div class="clock">
      <div>Playground time</div>
      <div id="now" class="now"></div>
      <div class="row">
        <button type="button" data-clock="1">+1 hour</button>
        <button type="button" data-clock="24">+1 day</button>
        <button type="button" data-clock="168">+1 week</button>
      </div>
      <button type="button" id="scan" class="primary">Run a scan now</button>
    </div>
    <p id="status" class="status" role="status"></p>
    <ul id="refusals" class="refusals"></ul>
  </nav>
  <section class="conversation">
    <div class="pane" id="pane-dm"><div id="dm" class="messages"></div>
      <form id="composer" class="composer" autocomplete="off">
        <input id="say" name="say" placeholder="Message mfa-guard, or type /mfa-status …" maxlength="4000">
        <button type="submit" class="primary">Send</button>
      </form>
    </div>
    <div class="pane hidden" id="pane-channel"><div id="channel" class="messages"></div></div>
    <div class="pane hidden" id="pane-home"><div id="home" class="home"></div></div>
  </section>
  <aside class="accounts">
    <h2>Sample AWS accounts</h2>
    <div id="accounts"></div>
    <form id="add-user" class="add-user" autocomplete="off">
      <h3>Add a user to acme-prod</h3>
      <input id="new-user" placeholder="IAM user name" maxlength="200">
      <input id="new-owner" placeholder="slack-owner tag (e.g. U012ABCDEF)" maxlength="300">
      <input id="new-exempt" placeholder="mfa-exempt tag (optional)" maxlength="300">
      <button type="submit">Add user</button>
    </form>
  </aside>
</main>
<div id="modal-layer" class="layer hidden"></div>
<div id="confirm-layer" class="layer hidden"></div>
</body>
</html>
`;

export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; background: #f8f8f8; }
.banner { background: #3f0e40; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: baseline; font-size: 13px; }
.banner a { color: #fff; }
.readme { display: block; height: auto; padding: 16px 24px; }
.readme pre { white-space: pre-wrap; font-size: 13px; }
.banner strong { font-size: 16px; white-space: nowrap; }
main { display: grid; grid-template-columns: 250px 1fr 360px; height: calc(100vh - 60px); }
.sidebar { background: #4a154b; color: #fff; padding: 14px; display: flex; flex-direction: column; gap: 12px; overflow: auto; }
.sidebar select { width: 100%; padding: 6px; border-radius: 4px; }
.tabs { display: flex; flex-direction: column; gap: 4px; }
.tab { text-align: left; background: transparent; color: #e8d9e8; border: 0; padding: 6px 8px; border-radius: 4px; cursor: pointer; font-size: 15px; }
.tab.active { background: #1164a3; color: #fff; }
.clock { background: rgba(255,255,255,0.08); padding: 8px; border-radius: 6px; display: flex; flex-direction: column; gap: 6px; font-size: 13px; }
.clock .now { font-weight: bold; font-size: 14px; }
.clock .row { display: flex; gap: 4px; }
.status { font-size: 13px; min-height: 1.4em; margin: 0; }
.status.error { color: #ffb4b4; }
.refusals { font-size: 12px; color: #ffb4b4; padding-left: 16px; margin: 0; }
.conversation { background: #fff; display: flex; flex-direction: column; overflow: hidden; border-right: 1px solid #ddd; }
.pane { display: flex; flex-direction: column; height: 100%; overflow: hidden; }
.hidden { display: none !important; }
.messages, .home { flex: 1; overflow: auto; padding: 12px 20px; }
.message { padding: 8px 0; border-bottom: 1px solid #f0f0f0; }
.message.ephemeral { background: #f4f8fb; border-left: 3px solid #1264a3; padding-left: 10px; }
.author { font-weight: bold; margin-bottom: 2px; display: flex; gap: 6px; align-items: center; }
.badge { font-size: 10px; background: #e8e8e8; color: #616061; padding: 0 4px; border-radius: 3px; font-weight: normal; }
.badge.ephemeral { background: #dceefb; color: #1264a3; }
.edited { font-size: 12px; color: #868686; font-weight: normal; }
.empty { color: #868686; }
.composer { display: flex; gap: 8px; padding: 12px 20px; border-top: 1px solid #ddd; }
.composer input { flex: 1; padding: 8px; border: 1px solid #bbb; border-radius: 6px; font-size: 15px; }
button { font: inherit; cursor: pointer; }
.primary, .bk-primary { background: #007a5a; color: #fff; border: 1px solid #007a5a; }
.bk-danger { background: #e01e5a; color: #fff; border: 1px solid #e01e5a; }
.clock button, .composer button, .add-user button { padding: 4px 8px; border-radius: 4px; border: 1px solid #bbb; }
.bk-header { font-size: 18px; font-weight: bold; margin: 6px 0; }
.bk-section { display: flex; gap: 12px; justify-content: space-between; margin: 4px 0; }
.bk-section-body { flex: 1; min-width: 0; }
.bk-fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin-top: 4px; }
.bk-context { font-size: 12px; color: #616061; display: flex; gap: 8px; flex-wrap: wrap; margin: 4px 0; }
.bk-divider { border: 0; border-top: 1px solid #ddd; margin: 8px 0; }
.bk-actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
.bk-button { padding: 4px 12px; border-radius: 4px; border: 1px solid #bbb; background: #fff; font-size: 14px; font-weight: 600; text-decoration: none; color: inherit; display: inline-block; }
.bk-button.bk-primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.bk-button.bk-danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.bk-text { overflow-wrap: anywhere; }
.bk-text pre, .bk-context pre { background: #f8f8f8; border: 1px solid #ddd; border-radius: 4px; padding: 8px; white-space: pre-wrap; font-size: 13px; }
code { background: #f6f6f6; border: 1px solid #e0e0e0; border-radius: 3px; padding: 0 3px; color: #c01343; font-size: 13px; }
.mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
a { color: #1264a3; }
.accounts { overflow: auto; padding: 12px; font-size: 13px; }
.accounts h2 { font-size: 16px; margin: 0 0 8px; }
.account h3 { font-size: 14px; margin: 12px 0 4px; }
.account table { width: 100%; border-collapse: collapse; }
.account td { padding: 2px 4px; border-bottom: 1px solid #eee; vertical-align: top; }
.user-name { font-family: monospace; overflow-wrap: anywhere; }
.small { font-size: 11px; padding: 1px 4px; margin: 1px; border: 1px solid #bbb; border-radius: 3px; background: #fff; }
.note { color: #868686; }
.add-user { display: flex; flex-direction: column; gap: 4px; margin-top: 16px; }
.add-user h3 { font-size: 14px; margin: 0; }
.add-user input { padding: 4px; }
.layer { position: fixed; inset: 0; background: rgba(0,0,0,0.45); display: flex; align-items: center; justify-content: center; }
.modal, .confirm-box { background: #fff; border-radius: 8px; width: min(640px, 92vw); max-height: 85vh; overflow: auto; padding: 16px 20px; box-shadow: 0 10px 40px rgba(0,0,0,0.3); }
.modal-title, .bk-confirm-title { font-size: 18px; font-weight: bold; margin-bottom: 8px; }
.modal-footer, .bk-confirm-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 12px; }
`;

export const PAGE_SCRIPT = `'use strict';
(() => {
  const token = document.querySelector('meta[name="playground-token"]').getAttribute('content');
  const $ = (id) => document.getElementById(id);
  let as = $('person').value;
  let tab = 'dm';
  let last = '';

  const setStatus = (text, isError) => {
    $('status').textContent = text;
    $('status').classList.toggle('error', Boolean(isError));
  };

  const post = async (path, body) => {
    const res = await fetch('/api/' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-playground-token': token },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({ ok: false, error: 'HTTP ' + res.status }));
    if (answer.ok) setStatus('Done.', false);
    else setStatus(answer.error || 'Failed.', true);
    await refresh();
    return answer;
  };

  const refresh = async () => {
    const res = await fetch('/api/state?as=' + encodeURIComponent(as), { headers: { 'x-playground-token': token } });
    if (!res.ok) return;
    const state = await res.json();
    const key = JSON.stringify(state) + as;
    if (key === last) return;
    last = key;
    // Every HTML string below was built and escaped by the playground's server.
    $('dm').innerHTML = state.dm;
    $('channel').innerHTML = state.channel;
    $('home').innerHTML = state.home;
    $('accounts').innerHTML = state.accounts;
    $('now').textContent = new Date(state.now).toUTCString();
    $('modal-layer').innerHTML = state.modal || '';
    $('modal-layer').classList.toggle('hidden', !state.modal);
    const list = $('refusals');
    list.replaceChildren(...state.refusals.map((r) => {
      const li = document.createElement('li');
      li.textContent = 'Slack refused ' + r;
      return li;
    }));
  };

  const showTab = (name) => {
    tab = name;
    for (const t of document.querySelectorAll('[data-tab]')) t.classList.toggle('active', t.dataset.tab === name);
    for (const p of ['dm', 'channel', 'home']) $('pane-' + p).classList.toggle('hidden', p !== name);
  };

  const sendClick = (button) =>
    post('click', { as, where: button.dataset.where, actionId: button.dataset.actionId, value: button.dataset.value });

  const confirmThen = (button, dialog) => {
    const layer = $('confirm-layer');
    const box = document.createElement('div');
    box.className = 'confirm-box';
    box.setAttribute('role', 'alertdialog');
    box.innerHTML = dialog.innerHTML;
    layer.replaceChildren(box);
    layer.classList.remove('hidden');
    box.addEventListener('click', (event) => {
      const choice = event.target.closest('[data-confirm]');
      if (!choice) return;
      layer.classList.add('hidden');
      layer.replaceChildren();
      if (choice.dataset.confirm === 'confirm') void sendClick(button);
    });
  };

  document.addEventListener('click', (event) => {
    const target = event.target.closest('button');
    if (!target) return;
    if (target.dataset.actionId !== undefined && target.dataset.where !== undefined) {
      const dialog = target.parentElement.querySelector('.bk-confirm');
      if (dialog) confirmThen(target, dialog);
      else void sendClick(target);
    } else if (target.dataset.tab) {
      showTab(target.dataset.tab);
      if (target.dataset.tab === 'home') void post('home', { as });
    } else if (target.dataset.clock) {
      void post('clock', { hours: Number(target.dataset.clock) });
    } else if (target.id === 'scan') {
      setStatus('Scanning…', false);
      void post('scan', {});
    } else if (target.dataset.change) {
      void post('change-user', { account: target.dataset.account, user: target.dataset.user, change: target.dataset.change });
    } else if (target.dataset.closeModal !== undefined) {
      void post('close-modal', { as });
    }
  });

  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('say').value;
    $('say').value = '';
    void post('say', { as, text });
  });

  $('add-user').addEventListener('submit', (event) => {
    event.preventDefault();
    void post('add-user', {
      account: '${SAMPLE_ACCOUNT_ID}',
      user: $('new-user').value,
      ownerTag: $('new-owner').value,
      exemptTag: $('new-exempt').value,
    }).then((answer) => {
      if (answer.ok) for (const id of ['new-user', 'new-owner', 'new-exempt']) $(id).value = '';
    });
  });

  $('person').addEventListener('change', () => {
    as = $('person').value;
    setStatus('', false);
    if (tab === 'home') void post('home', { as });
    else void refresh();
  });

  showTab('dm');
  void refresh();
  setInterval(() => void refresh(), 500);
})();
`;
